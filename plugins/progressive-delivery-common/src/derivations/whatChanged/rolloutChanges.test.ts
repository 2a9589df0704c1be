// "What changed" on upstream fixtures (src/__fixtures__/upstream, see their headers):
// flagger-whatchanged-podinfo-e2e.yaml (Flagger's e2e podinfo after `kubectl set image`),
// flagger-whatchanged-config-tracking.yaml (Flagger's controller-test Deployment V1 -> V2 with a
// changed ConfigMap), flagger-daemonset-canary.yaml, flux-gitrepository-compare-urls.yaml.
import { createHash } from 'crypto';
import {
  clone,
  loadUpstream,
  pick,
  pickAll,
} from '../../__testUtils__/fixtures';
import { KubeObject } from '../../kubernetes';
import { TrackedConfigs } from '../../apiWhatChanged';
import { deriveRolloutChanges } from './rolloutChanges';

/** Flagger's checksum() (config_tracker.go L65-70): sha256 of json.Marshal(data), 8 bytes hex. */
function flaggerChecksum(data: Record<string, string>): string {
  const sorted = Object.fromEntries(
    Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return createHash('sha256')
    .update(JSON.stringify(sorted))
    .digest('hex')
    .slice(0, 16);
}

/** What Flagger checksums: a ConfigMap's data; a Secret's data as bytes (base64 in JSON). */
function configData(object: KubeObject): Record<string, string> {
  const stringData = object.stringData as Record<string, string> | undefined;
  if (object.kind === 'Secret' && stringData) {
    return Object.fromEntries(
      Object.entries(stringData).map(([k, v]) => [
        k,
        Buffer.from(v).toString('base64'),
      ]),
    );
  }
  return object.data as Record<string, string>;
}

const trackedOf = (canary: KubeObject) =>
  (canary.status as { trackedConfigs: TrackedConfigs }).trackedConfigs;

const E2E = 'flagger-whatchanged-podinfo-e2e.yaml';
const e2e = () => {
  const docs = loadUpstream(E2E);
  return {
    secret: pick(docs, 'Secret', 'podinfo-secret'),
    canary: pick(docs, 'Canary', 'podinfo'),
    target: pick(docs, 'Deployment', 'podinfo'),
    primary: pick(docs, 'Deployment', 'podinfo-primary'),
  };
};

type Container = {
  name: string;
  env: Array<Record<string, unknown>>;
  resources: Record<string, Record<string, string>>;
};
const containersOf = (workload: KubeObject) =>
  (workload.spec as { template: { spec: { containers: Container[] } } })
    .template.spec.containers;

describe('deriveRolloutChanges on Flagger e2e podinfo', () => {
  it("reports the new image and nothing of Flagger's own rewrites", () => {
    const { canary, target, primary } = e2e();
    const changes = deriveRolloutChanges({ canary, target, primary });
    expect(changes.containers).toEqual([
      {
        name: 'podinfod',
        init: false,
        change: 'changed',
        image: {
          from: 'ghcr.io/stefanprodan/podinfo:6.0.0',
          to: 'ghcr.io/stefanprodan/podinfo:6.0.1',
        },
        env: [],
        envFrom: [],
        resources: [],
        fields: [],
      },
    ]);
    // app: podinfo-primary, flagger-id, podinfo-secret-primary are Flagger's, not changes.
    expect(changes.podTemplate).toEqual([]);
    expect(changes.problems).toEqual([]);
  });

  it("carries the canary's tracked Secret checksum, which is Flagger's checksum of its data", () => {
    const { secret, canary, target, primary } = e2e();
    expect(trackedOf(canary)['secret/podinfo-secret']).toBe(
      flaggerChecksum(configData(secret)),
    );
    const changes = deriveRolloutChanges({ canary, target, primary });
    expect(changes.configsBasis).toBe('status');
    expect(changes.configs).toEqual([
      {
        kind: 'Secret',
        name: 'podinfo-secret',
        change: 'unknown',
        toChecksum: 'e9508890208eabc4',
      },
    ]);
    expect(changes.notes.join(' ')).toMatch(/checksums were not recorded/);
  });

  it("reports a Secret's content change from the promoted rollout's checksum", () => {
    const { canary, target, primary } = e2e();
    const previousTrackedConfigs = {
      'secret/podinfo-secret': flaggerChecksum({
        value: Buffer.from('previous').toString('base64'),
      }),
    };
    const changes = deriveRolloutChanges({
      canary,
      target,
      primary,
      previousTrackedConfigs,
    });
    expect(changes.configsBasis).toBe('previousRollout');
    expect(changes.configs).toEqual([
      {
        kind: 'Secret',
        name: 'podinfo-secret',
        change: 'changed',
        fromChecksum: previousTrackedConfigs['secret/podinfo-secret'],
        toChecksum: 'e9508890208eabc4',
      },
    ]);
    const same = deriveRolloutChanges({
      canary,
      target,
      primary,
      previousTrackedConfigs: trackedOf(canary),
    });
    expect(same.configs.map(c => c.change)).toEqual(['unchanged']);
  });

  it('shows env changes by name, a secretKeyRef as name and key only', () => {
    const { secret, canary, target, primary } = e2e();
    const changed = clone(target);
    containersOf(changed)[0].env = [
      {
        name: 'PODINFO_SECRET_VALUE',
        valueFrom: {
          secretKeyRef: { name: 'podinfo-secret-v2', key: 'value' },
        },
      },
      { name: 'PODINFO_UI_COLOR', value: '#34577c' },
      {
        name: 'PODINFO_UI_MESSAGE',
        valueFrom: { configMapKeyRef: { name: 'podinfo-ui', key: 'message' } },
      },
    ];
    const changes = deriveRolloutChanges({ canary, target: changed, primary });
    expect(changes.containers[0].env).toEqual([
      {
        name: 'PODINFO_SECRET_VALUE',
        change: 'changed',
        // The primary's podinfo-secret-primary is read as podinfo-secret (Flagger's copy).
        from: { source: 'secretKeyRef', name: 'podinfo-secret', key: 'value' },
        to: { source: 'secretKeyRef', name: 'podinfo-secret-v2', key: 'value' },
      },
      {
        name: 'PODINFO_UI_COLOR',
        change: 'added',
        to: { source: 'value', value: '#34577c' },
      },
      {
        name: 'PODINFO_UI_MESSAGE',
        change: 'added',
        to: { source: 'configMapKeyRef', name: 'podinfo-ui', key: 'message' },
      },
    ]);
    const json = JSON.stringify(changes);
    const secretValue = (secret.stringData as { value: string }).value;
    expect(json).not.toContain(secretValue);
    expect(json).not.toContain(Buffer.from(secretValue).toString('base64'));
  });

  it('leaks no Secret value even when a Secret is passed where a workload or source belongs', () => {
    const { secret } = e2e();
    const stored = { ...clone(secret), data: { value: 'czNjcjN0' } };
    const changes = deriveRolloutChanges({
      canary: stored,
      target: stored,
      primary: stored,
      source: { gitRepository: stored, toRevision: 'main@sha1:abc' },
    });
    const json = JSON.stringify(changes);
    expect(json).not.toContain('s3cr3t');
    expect(json).not.toContain('czNjcjN0');
    expect(changes.source?.reason).toBe(
      'compare links need a GitRepository, not a Secret',
    );
    expect(changes.problems.map(p => p.field)).toEqual(
      expect.arrayContaining(['canary.spec.targetRef', 'target.spec.template']),
    );
  });

  it('compares resources by quantity value', () => {
    const { canary, target, primary } = e2e();
    const changed = clone(target);
    containersOf(changed)[0].resources = {
      // cpu 1 = 1000m and 0.001 = 1m: not changes
      limits: { cpu: '1', memory: '256Mi', 'ephemeral-storage': '1Gi' },
      requests: { cpu: '0.001' },
    };
    const changes = deriveRolloutChanges({ canary, target: changed, primary });
    expect(changes.containers[0].resources).toEqual([
      {
        type: 'requests',
        resource: 'memory',
        change: 'removed',
        from: '16Mi',
      },
      {
        type: 'limits',
        resource: 'ephemeral-storage',
        change: 'added',
        to: '1Gi',
      },
      {
        type: 'limits',
        resource: 'memory',
        change: 'changed',
        from: '128Mi',
        to: '256Mi',
      },
    ]);
  });

  it('reports -primary names that are not Flagger rewrites', () => {
    const { canary, target, primary } = e2e();
    const odd = clone(primary);
    const template = (odd.spec as any).template;
    template.metadata.labels.app = 'something-primary';
    template.metadata.annotations['prometheus.io/port'] = '9898';
    template.spec.containers[0].env[0].valueFrom.secretKeyRef.name =
      'other-secret-primary';
    const changes = deriveRolloutChanges({ canary, target, primary: odd });
    expect(changes.podTemplate).toEqual([
      {
        field: "metadata.annotations['prometheus.io/port']",
        change: 'changed',
        from: '9898',
        to: '9797',
      },
      {
        field: "metadata.labels['app']",
        change: 'changed',
        from: 'something-primary',
        to: 'podinfo',
      },
    ]);
    expect(changes.containers[0].env).toEqual([
      {
        name: 'PODINFO_SECRET_VALUE',
        change: 'changed',
        from: {
          source: 'secretKeyRef',
          name: 'other-secret-primary',
          key: 'value',
        },
        to: { source: 'secretKeyRef', name: 'podinfo-secret', key: 'value' },
      },
    ]);
  });

  it("keeps kubectl's restartedAt (a restart is a revision) and skips Flux's metadata", () => {
    const { canary, target, primary } = e2e();
    const restarted = clone(target);
    const metadata = (restarted.spec as any).template.metadata;
    metadata.annotations['kubectl.kubernetes.io/restartedAt'] =
      '2025-01-15T10:00:00Z';
    // makePrimaryLabels / makeAnnotations drop toolkit.fluxcd.io keys from the primary.
    metadata.labels['kustomize.toolkit.fluxcd.io/name'] = 'apps';
    metadata.annotations['kustomize.toolkit.fluxcd.io/checksum'] = '0a40893b';
    const changes = deriveRolloutChanges({
      canary,
      target: restarted,
      primary,
    });
    expect(changes.podTemplate).toEqual([
      {
        field: "metadata.annotations['kubectl.kubernetes.io/restartedAt']",
        change: 'added',
        to: '2025-01-15T10:00:00Z',
      },
    ]);
  });

  it('notes a target that references configs while Flagger reports none tracked', () => {
    const { canary, target, primary } = e2e();
    const untracked = clone(canary);
    delete (untracked.status as any).trackedConfigs;
    const changes = deriveRolloutChanges({
      canary: untracked,
      target,
      primary,
    });
    expect(changes.configs).toEqual([]);
    expect(changes.notes).toEqual([
      expect.stringMatching(/reports no status.trackedConfigs/),
    ]);
  });
});

const TRACKING = 'flagger-whatchanged-config-tracking.yaml';
const tracking = () => {
  const docs = loadUpstream(TRACKING);
  const [initialized, progressing] = pickAll(docs, 'Canary');
  return {
    docs,
    initialized,
    progressing,
    target: pick(docs, 'Deployment', 'podinfo'),
    primary: pick(docs, 'Deployment', 'podinfo-primary'),
  };
};

describe("deriveRolloutChanges on Flagger's config-tracking controller fixture", () => {
  it("the fixture's tracked checksums are Flagger's checksums of the configs it holds", () => {
    const { docs, progressing, initialized } = tracking();
    const tracked = trackedOf(progressing);
    for (const [key, checksum] of Object.entries(tracked)) {
      const [type, name] = key.split('/');
      const object = pick(
        docs,
        type === 'secret' ? 'Secret' : 'ConfigMap',
        name,
      );
      expect(checksum).toBe(flaggerChecksum(configData(object)));
    }
    expect(Object.keys(tracked).some(k => k.includes('disabled'))).toBe(false);
    expect(trackedOf(initialized)['configmap/podinfo-config-env']).toBe(
      flaggerChecksum({ color: 'red' }),
    );
  });

  it('reports image, resources, envFrom, init container, affinity and volumes, not the renames', () => {
    const { initialized, progressing, target, primary } = tracking();
    const changes = deriveRolloutChanges({
      canary: progressing,
      target,
      primary,
      previousTrackedConfigs: trackedOf(initialized),
    });
    expect(changes.containers).toEqual([
      {
        name: 'podinfo',
        init: false,
        change: 'changed',
        image: {
          from: 'quay.io/stefanprodan/podinfo:1.2.0',
          to: 'quay.io/stefanprodan/podinfo:1.2.1',
        },
        env: [],
        envFrom: [
          { change: 'removed', kind: 'Secret', name: 'podinfo-secret-all-env' },
        ],
        resources: [
          { type: 'requests', resource: 'cpu', change: 'removed', from: '1k' },
        ],
        fields: [],
      },
      {
        name: 'initContainers[0]',
        init: true,
        change: 'removed',
        env: [],
        envFrom: [],
        resources: [],
        fields: [],
      },
    ]);
    expect(changes.podTemplate.map(c => [c.field, c.change])).toEqual([
      ['spec.affinity', 'changed'],
      ['spec.topologySpreadConstraints', 'removed'],
      ["spec.volumes['config']", 'changed'],
      ["spec.volumes['secret']", 'changed'],
    ]);
    expect(changes.podTemplate[2]).toEqual({
      field: "spec.volumes['config']",
      change: 'changed',
      from: '{"configMap":{"name":"podinfo-config-vol","optional":false},"name":"config"}',
      to: '{"configMap":{"name":"podinfo-config-vol"},"name":"config"}',
    });
    expect(changes.problems).toEqual([
      {
        field: 'primary.spec.template.spec.initContainers[0].name',
        message: 'the container has no name',
      },
    ]);
  });

  it('undoes the anti-affinity and topology spread rewrite of Deployments only', () => {
    const { initialized, progressing, target, primary } = tracking();
    const primarySpec = (primary.spec as any).template.spec;
    // The target as V1 had them: Flagger's podinfo-primary values back to podinfo.
    const v1Placement = JSON.parse(
      JSON.stringify({
        affinity: primarySpec.affinity,
        topologySpreadConstraints: primarySpec.topologySpreadConstraints,
      }).replace(/"podinfo-primary"/g, '"podinfo"'),
    );
    const withV1Placement = clone(target);
    Object.assign((withV1Placement.spec as any).template.spec, v1Placement);
    const input = {
      canary: progressing,
      target: withV1Placement,
      primary,
      previousTrackedConfigs: trackedOf(initialized),
    };
    expect(deriveRolloutChanges(input).podTemplate.map(c => c.field)).toEqual([
      "spec.volumes['config']",
      "spec.volumes['secret']",
    ]);
    // Flagger's DaemonSet controller does not rewrite them: there they are real differences.
    const asDaemonSets = clone(input);
    (asDaemonSets.canary.spec as any).targetRef.kind = 'DaemonSet';
    asDaemonSets.target.kind = 'DaemonSet';
    asDaemonSets.primary.kind = 'DaemonSet';
    expect(
      deriveRolloutChanges(asDaemonSets).podTemplate.map(c => c.field),
    ).toEqual([
      'spec.affinity',
      'spec.topologySpreadConstraints',
      "spec.volumes['config']",
      "spec.volumes['secret']",
    ]);
  });

  it('reports the changed ConfigMap and the configs no longer tracked', () => {
    const { initialized, progressing, target, primary } = tracking();
    const changes = deriveRolloutChanges({
      canary: progressing,
      target,
      primary,
      previousTrackedConfigs: trackedOf(initialized),
    });
    expect(changes.configs.map(c => `${c.kind}/${c.name} ${c.change}`)).toEqual(
      [
        'ConfigMap/podinfo-config-all-env unchanged',
        'ConfigMap/podinfo-config-env changed',
        'ConfigMap/podinfo-config-init-all-env removed',
        'ConfigMap/podinfo-config-init-env removed',
        'ConfigMap/podinfo-config-projected unchanged',
        'ConfigMap/podinfo-config-tracker-enabled unchanged',
        'ConfigMap/podinfo-config-vol unchanged',
        'Secret/podinfo-secret-all-env removed',
        'Secret/podinfo-secret-env unchanged',
        'Secret/podinfo-secret-init-all-env removed',
        'Secret/podinfo-secret-init-env removed',
        'Secret/podinfo-secret-projected unchanged',
        'Secret/podinfo-secret-tracker-enabled unchanged',
        'Secret/podinfo-secret-vol unchanged',
      ],
    );
    expect(changes.configs[1]).toEqual({
      kind: 'ConfigMap',
      name: 'podinfo-config-env',
      change: 'changed',
      fromChecksum: '241889ca0604e333',
      toChecksum: '2a4ac3890a3db504',
    });
    expect(changes.notes).toEqual([]);
  });

  it('without the previous checksums says only what the status tells', () => {
    const { progressing, target, primary } = tracking();
    const changes = deriveRolloutChanges({
      canary: progressing,
      target,
      primary,
    });
    expect(changes.configsBasis).toBe('status');
    expect(changes.configs).toHaveLength(9);
    expect(new Set(changes.configs.map(c => c.change))).toEqual(
      new Set(['unknown']),
    );
    // Without the previous rollout's record the removed copy keeps Flagger's name.
    expect(changes.containers[0].envFrom).toEqual([
      {
        change: 'removed',
        kind: 'Secret',
        name: 'podinfo-secret-all-env-primary',
      },
    ]);
  });

  it('is deterministic', () => {
    const { initialized, progressing, target, primary } = tracking();
    const input = {
      canary: progressing,
      target,
      primary,
      previousTrackedConfigs: trackedOf(initialized),
    };
    expect(JSON.stringify(deriveRolloutChanges(input))).toBe(
      JSON.stringify(deriveRolloutChanges(clone(input))),
    );
  });
});

describe('deriveRolloutChanges on a DaemonSet canary', () => {
  it('reads the selector label app.kubernetes.io/name-primary as Flagger writes it', () => {
    const docs = loadUpstream('flagger-daemonset-canary.yaml');
    const changes = deriveRolloutChanges({
      canary: pick(docs, 'Canary', 'podinfo-ds'),
      target: pick(docs, 'DaemonSet', 'podinfo-ds'),
      primary: pick(docs, 'DaemonSet', 'podinfo-ds-primary'),
    });
    expect(changes.containers.map(c => c.image)).toEqual([
      {
        from: 'ghcr.io/stefanprodan/podinfo:6.0.0',
        to: 'ghcr.io/stefanprodan/podinfo:6.0.1',
      },
    ]);
    expect(changes.podTemplate).toEqual([]);
    expect(changes.configs).toEqual([]);
    expect(changes.problems).toEqual([]);
  });
});

describe('deriveRolloutChanges with a Flux source', () => {
  const repos = loadUpstream('flux-gitrepository-compare-urls.yaml');
  const from = 'master@sha1:363a6a8fe6a7f13e05d34c163b0ef02a777da20a';
  const to = 'master@sha1:132f4e719209eb10b9485302f8593fc0e680f4fc';

  it('links the Git compare view between the promoted and the new revision', () => {
    const { canary, target, primary } = e2e();
    const gitRepository = pick(repos, 'GitRepository', 'podinfo');
    expect(
      gitRepository.metadata?.annotations?.['example/previous-revision'],
    ).toBe(from);
    const changes = deriveRolloutChanges({
      canary,
      target,
      primary,
      source: { gitRepository, fromRevision: from, toRevision: to },
    });
    expect(changes.source).toEqual({
      kind: 'GitRepository',
      namespace: 'default',
      name: 'podinfo',
      url: 'https://github.com/stefanprodan/podinfo',
      fromRevision: from,
      toRevision: to,
      hostKind: 'github',
      fromCommit: '363a6a8fe6a7f13e05d34c163b0ef02a777da20a',
      toCommit: '132f4e719209eb10b9485302f8593fc0e680f4fc',
      compareUrl:
        'https://github.com/stefanprodan/podinfo/compare/363a6a8fe6a7f13e05d34c163b0ef02a777da20a...132f4e719209eb10b9485302f8593fc0e680f4fc',
    });
  });

  it('says why there is no link for an unknown host, and uses the host map', () => {
    const gitRepository = pick(repos, 'GitRepository', 'self-managed-gitlab');
    const source = { gitRepository, fromRevision: from, toRevision: to };
    const unknown = deriveRolloutChanges({ source });
    expect(unknown.source?.compareUrl).toBeUndefined();
    expect(unknown.source?.reason).toBe(
      'gitlab.internal.example.com is not a known GitHub or GitLab host',
    );
    const mapped = deriveRolloutChanges({
      source,
      options: { gitHosts: { 'gitlab.internal.example.com': 'gitlab' } },
    });
    expect(mapped.source?.compareUrl).toBe(
      'https://gitlab.internal.example.com/platform/apps/podinfo/-/compare/363a6a8fe6a7f13e05d34c163b0ef02a777da20a...132f4e719209eb10b9485302f8593fc0e680f4fc',
    );
  });

  it('has no link for a first rollout or a non-Git source', () => {
    const gitRepository = pick(repos, 'GitRepository', 'podinfo');
    const first = deriveRolloutChanges({
      source: { gitRepository, toRevision: to },
    });
    expect(first.source?.reason).toBe('no previous revision to compare with');
    const oci = deriveRolloutChanges({
      source: {
        gitRepository: {
          kind: 'OCIRepository',
          spec: { url: 'oci://ghcr.io/x/y' },
        },
        fromRevision: 'latest@sha256:3b6c',
        toRevision: 'latest@sha256:9f2e',
      },
    });
    expect(oci.source?.reason).toBe(
      'compare links need a GitRepository, not a OCIRepository',
    );
  });
});

describe('deriveRolloutChanges on malformed input', () => {
  it('never throws and names the problems', () => {
    const inputs: unknown[] = [
      {},
      { canary: 'x', target: [], primary: 42 },
      undefined,
      {
        options: {
          selectorLabels: 'app',
          gitHosts: { 'x.org': 7, 'y.org': { kind: 'gitlab', webUrl: 3 } },
        },
        source: {
          gitRepository: {
            kind: 'GitRepository',
            spec: { url: 'ssh://git@x.org/a/b' },
          },
          fromRevision: 'a',
          toRevision: 'b',
        },
      },
      {
        canary: {
          spec: { targetRef: { kind: 'Deployment', name: 'a' } },
          status: { trackedConfigs: ['x'] },
        },
        target: {
          metadata: { name: 'b' },
          spec: { template: { spec: { containers: 'nope' } } },
        },
        primary: {
          metadata: { name: 'c' },
          spec: { template: { spec: { containers: [null, { image: 1 }] } } },
        },
        previousTrackedConfigs: { 'configmap/x': 7, weird: 'abc' },
      },
    ];
    for (const input of inputs) {
      expect(() => deriveRolloutChanges(input as any)).not.toThrow();
    }
    const result = deriveRolloutChanges(inputs[4] as any);
    expect(result.problems.map(p => p.field)).toEqual([
      'target.metadata.name',
      'primary.metadata.name',
      'status.trackedConfigs',
      "previousTrackedConfigs['configmap/x']",
      "trackedConfigs['weird']",
      'primary.spec.template.spec.containers[0]',
      'primary.spec.template.spec.containers[1].name',
    ]);
    expect(deriveRolloutChanges({}).problems.map(p => p.field)).toEqual([
      'canary',
      'target',
      'primary',
    ]);
  });
});
