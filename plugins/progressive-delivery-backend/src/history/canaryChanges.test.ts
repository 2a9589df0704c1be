import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { loadFixtureDocuments } from '../__testUtils__/fixtures';
import { FluxLookup } from '../resolve/fluxLinks';
import {
  canarySource,
  comparedWorkload,
  observeCanaryChanges,
} from './canaryChanges';
import { Promotion } from './RolloutChangesRepository';
import { RolloutChangesService } from './RolloutChangesService';

// Flagger's e2e podinfo during the analysis of 6.0.1 (its Canary tracks podinfo-secret) and the
// Flux GitRepository of source-controller's docs, with the revisions Flux reported for it
// (common package src/__fixtures__/upstream, see the files' headers for their origins).
const E2E = loadFixtureDocuments(
  'upstream/flagger-whatchanged-podinfo-e2e.yaml',
);
const SOURCES = loadFixtureDocuments(
  'upstream/flux-gitrepository-compare-urls.yaml',
);
const FROM = 'master@sha1:363a6a8fe6a7f13e05d34c163b0ef02a777da20a';
const TO = 'master@sha1:132f4e719209eb10b9485302f8593fc0e680f4fc';
const COMPARE =
  'https://github.com/stefanprodan/podinfo/compare/363a6a8fe6a7f13e05d34c163b0ef02a777da20a...132f4e719209eb10b9485302f8593fc0e680f4fc';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const pick = (docs: KubeObject[], kind: string, name: string) =>
  clone(docs.find(d => d.kind === kind && d.metadata?.name === name)!);

/** A Kustomization applying the GitRepository (flux2 docs' shape), at `applied`. */
function kustomization(applied?: string): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'podinfo', namespace: 'default' },
    spec: { sourceRef: { kind: 'GitRepository', name: 'podinfo' } },
    status: applied ? { lastAppliedRevision: applied } : {},
  };
}

function lookupOf(objects: KubeObject[]): FluxLookup {
  return {
    get: (_cluster, kind, namespace, name) =>
      objects.find(
        o =>
          o.kind === kind &&
          o.metadata?.namespace === namespace &&
          o.metadata?.name === name,
      ),
  };
}

function e2e(phase = 'Progressing') {
  const canary = pick(E2E, 'Canary', 'podinfo');
  (canary.status as Record<string, unknown>).phase = phase;
  return {
    canary,
    target: pick(E2E, 'Deployment', 'podinfo'),
    primary: pick(E2E, 'Deployment', 'podinfo-primary'),
  };
}

const PROMOTION: Promotion = {
  revision: 'promoted',
  sourceRevision: FROM,
  trackedConfigs: { 'secret/podinfo-secret': '0011223344556677' },
};

describe('what changed in a canary’s rollout, as the backend derives it', () => {
  const git = pick(SOURCES, 'GitRepository', 'podinfo');

  it('compares the e2e podinfo with the promoted rollout: image, secret checksum, Git range', () => {
    const owner = kustomization(TO);
    const observed = observeCanaryChanges(
      lookupOf([git]),
      'prod',
      { ...e2e(), fluxOwner: owner },
      PROMOTION,
    );
    expect(observed.trackedConfigs).toEqual({
      'secret/podinfo-secret': 'e9508890208eabc4',
    });
    expect(observed.sourceRevision).toBe(TO);
    const changes = observed.changes!;
    expect(changes.containers).toEqual([
      expect.objectContaining({
        name: 'podinfod',
        image: {
          from: 'ghcr.io/stefanprodan/podinfo:6.0.0',
          to: 'ghcr.io/stefanprodan/podinfo:6.0.1',
        },
        env: [],
        fields: [],
      }),
    ]);
    expect(changes.podTemplate).toEqual([]);
    expect(changes.configsBasis).toBe('previousRollout');
    expect(changes.configs).toEqual([
      {
        kind: 'Secret',
        name: 'podinfo-secret',
        change: 'changed',
        fromChecksum: '0011223344556677',
        toChecksum: 'e9508890208eabc4',
      },
    ]);
    expect(changes.source).toMatchObject({
      kind: 'GitRepository',
      namespace: 'default',
      name: 'podinfo',
      url: 'https://github.com/stefanprodan/podinfo',
      fromRevision: FROM,
      toRevision: TO,
      hostKind: 'github',
      compareUrl: COMPARE,
    });
    expect(changes.problems).toEqual([]);
    const text = JSON.stringify(observed);
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('czNjcjN0');
  });

  it('without a recorded promotion: checksums from the status only, no range to compare', () => {
    const { changes } = observeCanaryChanges(
      lookupOf([git]),
      'prod',
      { ...e2e('WaitingPromotion'), fluxOwner: kustomization(TO) },
      undefined,
    );
    expect(changes?.configsBasis).toBe('status');
    expect(changes?.configs).toEqual([
      expect.objectContaining({ name: 'podinfo-secret', change: 'unknown' }),
    ]);
    expect(changes?.source).toMatchObject({
      toRevision: TO,
      reason: 'no previous revision to compare with',
    });
    expect(changes?.source?.compareUrl).toBeUndefined();
  });

  it('says nothing of changes once the primary runs the target (Promoting on) or without a primary', () => {
    for (const phase of [
      'Promoting',
      'Finalising',
      'Succeeded',
      'Initialized',
    ]) {
      const observed = observeCanaryChanges(
        lookupOf([git]),
        'prod',
        { ...e2e(phase), fluxOwner: kustomization(TO) },
        PROMOTION,
      );
      expect(observed).toEqual({
        trackedConfigs: { 'secret/podinfo-secret': 'e9508890208eabc4' },
        sourceRevision: TO,
      });
    }
    const { primary: _, ...withoutPrimary } = e2e('Failed');
    expect(
      observeCanaryChanges(lookupOf([]), 'prod', withoutPrimary, PROMOTION)
        .changes,
    ).toBeUndefined();
    expect(
      observeCanaryChanges(lookupOf([]), 'prod', e2e('Failed'), PROMOTION)
        .changes?.containers,
    ).toHaveLength(1);
  });

  it('compares images, env, envFrom, resources, pod labels, annotations, volumes and the service account only', () => {
    const { canary, target, primary } = e2e();
    const spec = (target.spec as any).template.spec;
    spec.containers[0].image = (
      primary.spec as any
    ).template.spec.containers[0].image;
    spec.containers[0].command = ['./podinfo', '--level=debug'];
    spec.containers[0].readinessProbe = { exec: { command: ['true'] } };
    spec.affinity = { nodeAffinity: {} };
    expect(comparedWorkload(target)).not.toHaveProperty(
      'spec.template.spec.affinity',
    );
    let { changes } = observeCanaryChanges(
      lookupOf([]),
      'prod',
      { canary, target, primary },
      PROMOTION,
    );
    expect(changes?.containers).toEqual([]);
    expect(changes?.podTemplate).toEqual([]);

    spec.serviceAccountName = 'podinfo-v2';
    spec.containers[0].resources.limits.memory = '1Gi';
    ({ changes } = observeCanaryChanges(
      lookupOf([]),
      'prod',
      { canary, target, primary },
      PROMOTION,
    ));
    expect(changes?.podTemplate).toEqual([
      {
        field: 'spec.serviceAccountName',
        change: 'added',
        to: 'podinfo-v2',
      },
    ]);
    expect(changes?.containers[0].resources).toEqual([
      expect.objectContaining({
        type: 'limits',
        resource: 'memory',
        change: 'changed',
        to: '1Gi',
      }),
    ]);
  });

  describe('the Flux source and revision behind a canary', () => {
    it('a Kustomization’s applied revision, not a newer fetched artifact', () => {
      const fetched = clone(git);
      (fetched.status as any).artifact.revision = `master@sha1:${'f'.repeat(
        40,
      )}`;
      expect(canarySource(lookupOf([fetched]), 'c', kustomization(TO))).toEqual(
        { source: fetched, revision: TO },
      );
      // Before the Kustomization applied anything: the artifact's.
      expect(
        canarySource(lookupOf([fetched]), 'c', kustomization()).revision,
      ).toBe(`master@sha1:${'f'.repeat(40)}`);
    });

    it('the Git repository behind a HelmRelease’s chart template, at its artifact revision', () => {
      const helmRelease: KubeObject = {
        kind: 'HelmRelease',
        metadata: { name: 'podinfo', namespace: 'default' },
        spec: {
          chart: {
            spec: {
              chart: './charts/podinfo',
              sourceRef: { kind: 'GitRepository', name: 'podinfo' },
            },
          },
        },
        status: {
          helmChart: 'default/default-podinfo',
          lastAttemptedRevision: '6.0.1',
        },
      };
      const chart: KubeObject = {
        kind: 'HelmChart',
        metadata: { name: 'default-podinfo', namespace: 'default' },
        spec: { sourceRef: { kind: 'GitRepository', name: 'podinfo' } },
        status: { artifact: { revision: '6.0.1' } },
      };
      expect(canarySource(lookupOf([git, chart]), 'c', helmRelease)).toEqual({
        source: git,
        revision: TO,
      });
    });

    it('an OCI source: its revision, and why there is no compare link', () => {
      const oci: KubeObject = {
        kind: 'OCIRepository',
        metadata: { name: 'podinfo', namespace: 'default' },
        spec: { url: 'oci://ghcr.io/stefanprodan/manifests/podinfo' },
        status: { artifact: { revision: 'latest@sha256:abc' } },
      };
      const owner = kustomization('latest@sha256:abc');
      (owner.spec as any).sourceRef.kind = 'OCIRepository';
      const { changes } = observeCanaryChanges(
        lookupOf([oci]),
        'c',
        { ...e2e(), fluxOwner: owner },
        PROMOTION,
      );
      expect(changes?.source).toMatchObject({
        kind: 'OCIRepository',
        toRevision: 'latest@sha256:abc',
        reason: 'compare links need a GitRepository, not a OCIRepository',
      });
      expect(canarySource(lookupOf([]), 'c', owner)).toEqual({});
      expect(canarySource(lookupOf([oci]), 'c', undefined)).toEqual({});
    });
  });
});

describe('RolloutChangesService', () => {
  function service(promotion: () => Promotion | undefined) {
    const promoted: string[] = [];
    const recorded: unknown[] = [];
    const changes = new RolloutChangesService({
      lookup: lookupOf([]),
      promotions: {
        peek: () => promotion(),
        get: async () => promotion(),
        promoted: (_key, revision) => promoted.push(revision),
        forget: () => {},
        subscribe: () => () => {},
      },
      repository: {
        record: async (key, observed) => {
          recorded.push({ key, observed });
        },
      },
    });
    return { changes, promoted, recorded };
  }

  it('derives a canary’s changes again only when an object or the promotion they come from changed', () => {
    const history: { promotion?: Promotion } = {};
    const { changes } = service(() => history.promotion);
    const resolved = e2e();
    const first = changes.changesOf('prod', resolved);
    expect(first?.configsBasis).toBe('status');
    expect(changes.changesOf('prod', { ...resolved })).toBe(first);
    history.promotion = PROMOTION;
    const second = changes.changesOf('prod', resolved);
    expect(second).not.toBe(first);
    expect(second?.configsBasis).toBe('previousRollout');
    const target = clone(resolved.target);
    expect(changes.changesOf('prod', { ...resolved, target })).not.toBe(second);
    expect(
      changes.changesOf('prod', {
        ...resolved,
        canary: e2e('Succeeded').canary,
      }),
    ).toBeUndefined();
  });

  it('stores what the recorder observed, and a promotion ends what was read for other revisions', async () => {
    const { changes, promoted, recorded } = service(() => PROMOTION);
    const observed = await changes.observe('prod', e2e());
    expect(observed.changes?.configsBasis).toBe('previousRollout');
    const key = {
      cluster: 'prod',
      namespace: 'test',
      canary: 'podinfo',
      revision: 'r',
    };
    await changes.store(key, observed, 'progressing');
    expect(promoted).toEqual([]);
    await changes.store(key, observed, 'succeeded');
    expect(promoted).toEqual(['r']);
    expect(recorded).toEqual([
      { key, observed },
      { key, observed },
    ]);
  });
});
