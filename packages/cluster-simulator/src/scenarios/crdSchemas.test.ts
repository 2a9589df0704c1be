import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ResourceRegistry, ResourceType } from '../api/resources';
import { Simulator } from '../Simulator';
import { withSimulator } from '../testUtils/withSimulator';
import { KubeObject } from '../types';

/**
 * A real API server prunes fields a structural schema does not declare. Here
 * an undeclared field is an error instead, so a misspelt or invented field in
 * a seeded object fails the test rather than vanishing in a real cluster.
 */
function rejectUnknownFields(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rejectUnknownFields);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = rejectUnknownFields(v);
  if (
    out.type === 'object' &&
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  return out;
}

class CrdValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    // Kubernetes does not check these formats: `string` (Flagger's Istio string
    // matches) and `url` (webhook URLs such as http://flagger-loadtester.ns/).
    this.ajv.addFormat('string', true);
    this.ajv.addFormat('url', (value: string) => URL.canParse(value));
  }

  validate(resource: ResourceType, obj: KubeObject): string[] {
    const version = obj.apiVersion.split('/')[1];
    const key = `${resource.group}/${resource.plural}/${version}`;
    let fn = this.cache.get(key);
    if (!fn) {
      const schema = resource.schemas[version];
      if (!schema) return [`no schema for ${obj.apiVersion} ${obj.kind}`];
      const root = rejectUnknownFields(schema) as { properties?: object };
      // apiVersion, kind and metadata are implied at the root of every CRD schema.
      root.properties = {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        ...root.properties,
      };
      fn = this.ajv.compile(root);
      this.cache.set(key, fn);
    }
    if (fn(obj)) return [];
    return (fn.errors ?? []).map(
      e => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }
}

const CRD_KINDS_SEEDED = [
  'Canary',
  'MetricTemplate',
  'AlertProvider',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
  'HelmChart',
  'Kustomization',
  'HelmRelease',
  'Alert',
  'Provider',
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'HTTPRoute',
  'PeerAuthentication',
  'AuthorizationPolicy',
  'Sidecar',
];

function validateAll(sim: Simulator) {
  const registry = ResourceRegistry.create();
  const validator = new CrdValidator();
  const failures: string[] = [];
  const kinds = new Map<string, number>();
  for (const info of sim.clusters) {
    const cluster = sim.cluster(info.name).cluster;
    for (const resource of registry.all.filter(r => r.crd)) {
      for (const entry of cluster.store.list(resource)) {
        const obj = entry.object;
        kinds.set(obj.kind, (kinds.get(obj.kind) ?? 0) + 1);
        const groupKind = `${resource.group}/${obj.kind}`;
        kinds.set(groupKind, (kinds.get(groupKind) ?? 0) + 1);
        for (const error of validator.validate(resource, obj)) {
          failures.push(
            `${info.name} ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}: ${error}`,
          );
        }
      }
    }
  }
  return { failures, kinds };
}

describe('seeded objects against the upstream CRD schemas', () => {
  it('rejects invented fields and wrong types (the check can fail)', () => {
    const registry = ResourceRegistry.create();
    const canaries = registry.find('flagger.app', 'v1beta1', 'canaries')!;
    const canary: KubeObject = {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: 'x', namespace: 'y' },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' },
        service: { port: 80 },
        analysis: { interval: '1m', stepWeigth: 5, threshold: 'ten' },
      },
    };
    const errors = new CrdValidator().validate(canaries, canary);
    expect(errors).toEqual(
      expect.arrayContaining([
        '/spec/analysis must NOT have additional properties {"additionalProperty":"stepWeigth"}',
        '/spec/analysis/threshold must be number {"type":"number"}',
        // the misspelt stepWeight leaves none of stepWeight, stepWeights, iterations
        '/spec/analysis must match exactly one schema in oneOf {"passingSchemas":null}',
      ]),
    );
  });

  it('demo: every Flux, Flagger and Istio object validates, also mid-rollout', async () => {
    await withSimulator({ scenario: 'demo', story: true }, async sim => {
      // Let the story produce progressing, waiting, failed and health-failed states.
      await sim.clock.advance(7 * 60_000);
      const { failures, kinds } = validateAll(sim);
      expect(failures).toEqual([]);
      // Both Gateways: Istio's and the Gateway API's (tenant-c's ingress).
      expect(kinds.get('networking.istio.io/Gateway')).toBeGreaterThan(0);
      expect(kinds.get('gateway.networking.k8s.io/Gateway')).toBe(1);
      for (const kind of CRD_KINDS_SEEDED) {
        expect([kind, kinds.get(kind) ?? 0]).toEqual([
          kind,
          expect.any(Number),
        ]);
        expect(kinds.get(kind)).toBeGreaterThan(0);
      }
      const phases = sim
        .cluster('dev-eu-1')
        .objects.list('flagger.app/v1beta1', 'Canary')
        .concat(
          sim
            .cluster('prod-eu-1')
            .objects.list('flagger.app/v1beta1', 'Canary'),
        )
        .map(c => (c.status as { phase: string }).phase);
      expect(new Set(phases).size).toBeGreaterThan(1);
    });
  });

  it('scale: a small run validates too', async () => {
    await withSimulator(
      { scenario: 'scale', clusters: 2, canaries: 30 },
      async sim => {
        const { failures, kinds } = validateAll(sim);
        expect(failures).toEqual([]);
        expect(kinds.get('Canary')).toBe(60);
        expect(kinds.get('VirtualService')).toBe(60);
        expect(kinds.get('DestinationRule')).toBe(120);
        expect(kinds.get('Kustomization')).toBe(60);
      },
    );
  });
});
