import path from 'node:path';
import { ManifestValidator } from './ManifestValidator';

const crdDir = path.resolve(__dirname, '../../crds');

const inTeamA = (name: string) => ({ name, namespace: 'team-a' });

const peerAuthentication = (mode: string) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: inTeamA('default'),
  spec: { mtls: { mode } },
});

/** A Canary for the `podinfo` Deployment with the given analysis. */
const podinfoCanary = (analysis: object) => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: inTeamA('podinfo'),
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    service: { port: 9898 },
    analysis,
  },
});

describe('ManifestValidator', () => {
  let validator: ManifestValidator;
  beforeAll(async () => {
    validator = await ManifestValidator.fromCrdDirectory(crdDir);
  });

  it('knows the vendored custom kinds', () => {
    expect(validator.knownCustomKinds()).toEqual(
      expect.arrayContaining([
        'flagger.app/v1beta1/Canary',
        'flagger.app/v1beta1/MetricTemplate',
        'kustomize.toolkit.fluxcd.io/v1/Kustomization',
        'notification.toolkit.fluxcd.io/v1beta3/Alert',
        'notification.toolkit.fluxcd.io/v1beta3/Provider',
        'security.istio.io/v1/PeerAuthentication',
        'security.istio.io/v1/AuthorizationPolicy',
        'networking.istio.io/v1/Sidecar',
        'source.toolkit.fluxcd.io/v1/GitRepository',
      ]),
    );
  });

  it('accepts a valid object', () => {
    expect(validator.validate(peerAuthentication('STRICT'))).toEqual([]);
  });

  it('names the field and the allowed values of a bad enum', () => {
    expect(validator.validate(peerAuthentication('strict'))).toEqual([
      {
        object: 'PeerAuthentication team-a/default',
        field: 'spec.mtls.mode',
        message: 'must be one of "UNSET", "DISABLE", "PERMISSIVE", "STRICT"',
      },
    ]);
  });

  it('rejects fields the schema does not declare, as the API server would', () => {
    expect(
      validator.validate(
        podinfoCanary({
          interval: '1m',
          threshold: 5,
          stepWeight: 10,
          maxweight: 50,
        }),
      ),
    ).toEqual([
      {
        object: 'Canary team-a/podinfo',
        field: 'spec.analysis.maxweight',
        message: 'is not a known field',
      },
    ]);
  });

  it('reports missing required fields and wrong types of custom resources', () => {
    const problems = validator.validate({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: inTeamA('apps'),
      spec: { interval: '5m', prune: 'yes' },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          object: 'Kustomization team-a/apps',
          field: 'spec.sourceRef',
          message: 'is required',
        },
        {
          object: 'Kustomization team-a/apps',
          field: 'spec.prune',
          message: 'must be boolean',
        },
      ]),
    );
  });

  it('checks Kubernetes core kinds against the upstream schemas', () => {
    expect(
      validator.validate({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: inTeamA('allow-dns'),
        spec: {
          podSelector: {},
          policyTypes: 'Egress',
          egress: [{ ports: [{ protocol: 'udp', port: 53 }] }],
        },
      }),
    ).toEqual(
      expect.arrayContaining([
        {
          object: 'NetworkPolicy team-a/allow-dns',
          field: 'spec.policyTypes',
          message: 'must be array',
        },
        {
          object: 'NetworkPolicy team-a/allow-dns',
          field: 'spec.egress[0].ports[0].protocol',
          message: 'must be one of "SCTP", "TCP", "UDP"',
        },
      ]),
    );
  });

  it('explains an object that matches none of the alternatives of a oneOf', () => {
    expect(
      validator.validate(podinfoCanary({ interval: '1m', threshold: 5 })),
    ).toEqual([
      {
        object: 'Canary team-a/podinfo',
        field: 'spec.analysis',
        message:
          'must match exactly one of its alternatives (spec.analysis.iterations is required | spec.analysis.stepWeight is required | spec.analysis.stepWeights is required)',
      },
    ]);
  });

  it('checks object names', () => {
    expect(
      validator.validate({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'Team_A' },
      }),
    ).toEqual([
      {
        object: 'Namespace Team_A',
        field: 'metadata.name',
        message: '"Team_A" is not a DNS-1123 subdomain',
      },
    ]);
  });

  it('refuses kinds it has no schema for rather than passing them unchecked', () => {
    expect(
      validator.validate({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: inTeamA('podinfo'),
      }),
    ).toEqual([
      {
        object: 'Deployment team-a/podinfo',
        field: 'apiVersion',
        message:
          'no schema is known for Deployment in apps/v1, so it cannot be checked',
      },
    ]);
  });
});
