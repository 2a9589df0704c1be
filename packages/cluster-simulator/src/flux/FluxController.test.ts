import { ClusterHandle, Simulator, startSimulator } from '../Simulator';
import { Condition, KubeObject } from '../types';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SOURCE = 'source.toolkit.fluxcd.io/v1';
const HR = 'helm.toolkit.fluxcd.io/v2';
const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

interface FluxStatus {
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  lastHandledReconcileAt?: string;
  observedGeneration?: number;
  conditions?: Condition[];
  inventory?: { entries: Array<{ id: string; v: string }> };
  artifact?: { revision: string };
  history?: Array<{ version: number; status: string; chartVersion: string }>;
}

/** A Flux object: apiVersion, kind, namespace, name. */
type Ref = readonly [string, string, string, string];

const TENANT_KS: Ref = [KS, 'Kustomization', 'tenant-a', 'tenant-a'];
const TENANT_SOURCE: Ref = [SOURCE, 'GitRepository', 'tenant-a', 'tenant-a'];

function status(c: ClusterHandle, ref: Ref) {
  return c.objects.get(...ref)!.status as FluxStatus;
}

function condition(s: FluxStatus, type: string) {
  return s.conditions?.find(c => c.type === type);
}

/** Commits a new podinfo image to tenant-a's repository. */
function pushPodinfo(prod: ClusterHandle, tag: string): string {
  const remote = prod.cluster.sources.get(
    'https://github.com/example/tenant-a-deploy',
  )!;
  remote.commit(
    `Release podinfo ${tag}`,
    files => {
      const dep = files['./production/podinfo'].find(
        o => o.kind === 'Deployment',
      )!;
      const spec = dep.spec as {
        template: { spec: { containers: Array<{ image: string }> } };
      };
      spec.template.spec.containers[0].image = `ghcr.io/stefanprodan/podinfo:${tag}`;
    },
    prod.cluster.clock.now(),
  );
  return remote.revision();
}

function requestReconcile(c: ClusterHandle, ref: Ref, at: string) {
  c.objects.patch(...ref, {
    metadata: { annotations: { [REQUESTED_AT]: at } },
  });
}

describe('FluxController', () => {
  let sim: Simulator;
  let prod: ClusterHandle;

  beforeEach(async () => {
    sim = await startSimulator({ scenario: 'demo', http: true });
    prod = sim.cluster('prod-eu-1');
  });

  afterEach(() => sim.stop());

  it('fetches a new revision on its interval and applies it with owner labels', async () => {
    const before = status(prod, TENANT_KS);
    expect(condition(before, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'ReconciliationSucceeded',
    });
    const revision = pushPodinfo(prod, '6.8.0');
    expect(revision).toMatch(/^main@sha1:[0-9a-f]{40}$/);

    // The GitRepository polls every minute; the Kustomization follows its artifact.
    await sim.clock.advance(60_000);
    expect(status(prod, TENANT_SOURCE).artifact?.revision).toBe(revision);
    const after = status(prod, TENANT_KS);
    expect(after.lastAppliedRevision).toBe(revision);
    expect(after.lastAttemptedRevision).toBe(revision);
    expect(condition(after, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: ${revision}`,
    });
    expect(after.inventory?.entries).toContainEqual({
      id: 'tenant-a_podinfo_apps_Deployment',
      v: 'v1',
    });
    const dep = prod.objects.get(
      'apps/v1',
      'Deployment',
      'tenant-a',
      'podinfo',
    )!;
    expect(dep.metadata.labels).toMatchObject({
      'kustomize.toolkit.fluxcd.io/name': 'tenant-a',
      'kustomize.toolkit.fluxcd.io/namespace': 'tenant-a',
      'backstage.io/kubernetes-id': 'podinfo',
    });
    expect(JSON.stringify(dep.spec)).toContain('podinfo:6.8.0');
    // Flagger scaled the target to zero; applying the manifest (no replicas) keeps that.
    expect((dep.spec as { replicas: number }).replicas).toBe(0);

    const events = prod.objects
      .list('v1', 'Event', 'tenant-a')
      .filter(e => (e.source as { component: string }).component !== 'flagger')
      .map(
        e =>
          `${(e.involvedObject as { kind: string }).kind} ${e.reason} ${
            e.message
          }`,
      );
    expect(events).toEqual(
      expect.arrayContaining([
        "GitRepository NewArtifact stored artifact for commit 'Release podinfo 6.8.0'",
        'Kustomization Progressing Deployment/tenant-a/podinfo configured',
      ]),
    );
  });

  it('answers reconcile.fluxcd.io/requestedAt with lastHandledReconcileAt at once', async () => {
    requestReconcile(prod, TENANT_KS, '2026-01-01T00:00:10Z');
    await sim.clock.advance(0);
    expect(status(prod, TENANT_KS).lastHandledReconcileAt).toBe(
      '2026-01-01T00:00:10Z',
    );

    const revision = pushPodinfo(prod, '6.8.1');
    requestReconcile(prod, TENANT_SOURCE, 'now-1');
    await sim.clock.advance(0);
    const source = status(prod, TENANT_SOURCE);
    expect(source.lastHandledReconcileAt).toBe('now-1');
    expect(source.artifact?.revision).toBe(revision);
    expect(status(prod, TENANT_KS).lastAppliedRevision).toBe(revision);
  });

  it('honours spec.suspend until resumed', async () => {
    prod.objects.patch(...TENANT_KS, {
      spec: { suspend: true },
    });
    const applied = status(prod, TENANT_KS).lastAppliedRevision;
    const revision = pushPodinfo(prod, '6.9.0');
    requestReconcile(prod, TENANT_SOURCE, 'now-2');
    requestReconcile(prod, TENANT_KS, 'now-2');
    await sim.clock.advance(10 * 60_000);
    const suspended = status(prod, TENANT_KS);
    expect(suspended.lastAppliedRevision).toBe(applied);
    expect(suspended.lastHandledReconcileAt).toBeUndefined();

    prod.objects.patch(...TENANT_KS, {
      spec: { suspend: false },
    });
    await sim.clock.advance(0);
    const resumed = status(prod, TENANT_KS);
    expect(resumed.lastAppliedRevision).toBe(revision);
    expect(resumed.lastHandledReconcileAt).toBe('now-2');
  });

  it('reports a health check that times out, without advancing the applied revision', async () => {
    const dev = sim.cluster('dev-eu-1');
    const ks = () =>
      status(dev, [KS, 'Kustomization', 'flux-system', 'monitoring']);
    expect(condition(ks(), 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'Progressing',
    });
    expect(condition(ks(), 'Reconciling')?.message).toMatch(
      /^Running health checks for revision v2\.13\.0@sha256:[0-9a-f]{64} with a timeout of 2m0s$/,
    );
    await sim.clock.advance(2 * 60_000);
    const failed = ks();
    expect(condition(failed, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'HealthCheckFailed',
    });
    expect(condition(failed, 'Ready')?.message).toMatch(
      /^health check failed after 2m0\.\d+s: timeout waiting for: \[Deployment\/monitoring\/kube-state-metrics status: 'InProgress'\]$/,
    );
    expect(condition(failed, 'Healthy')).toMatchObject({
      status: 'False',
      message:
        "timeout waiting for: [Deployment/monitoring/kube-state-metrics status: 'InProgress']",
    });
    expect(condition(failed, 'Reconciling')?.reason).toBe(
      'ProgressingWithRetry',
    );
    expect(failed.lastAttemptedRevision).toMatch(/^v2\.13\.0@sha256:/);
    expect(failed.lastAppliedRevision).toBeUndefined();
    const pods = dev.objects.list('v1', 'Pod', 'monitoring');
    expect(pods).toHaveLength(1);
    expect(JSON.stringify(pods[0].status)).toContain('ImagePullBackOff');
  });

  it('installs and upgrades a HelmRelease from its HelmRepository', async () => {
    const hr = () => status(prod, [HR, 'HelmRelease', 'tenant-a', 'cache']);
    expect(condition(hr(), 'Ready')).toMatchObject({
      status: 'True',
      reason: 'InstallSucceeded',
      message:
        'Helm install succeeded for release tenant-a/cache.v1 with chart redis@19.6.4',
    });
    const workload = prod.objects.get(
      'apps/v1',
      'Deployment',
      'tenant-a',
      'cache-redis',
    ) as KubeObject;
    expect(workload.metadata.labels).toMatchObject({
      'helm.toolkit.fluxcd.io/name': 'cache',
      'helm.toolkit.fluxcd.io/namespace': 'tenant-a',
    });
    prod.objects.patch(HR, 'HelmRelease', 'tenant-a', 'cache', {
      spec: { chart: { spec: { version: '19.6.5' } } },
    });
    await sim.clock.advance(0);
    const upgraded = hr();
    expect(condition(upgraded, 'Ready')).toMatchObject({
      reason: 'UpgradeSucceeded',
      message:
        'Helm upgrade succeeded for release tenant-a/cache.v2 with chart redis@19.6.5',
    });
    expect(
      upgraded.history?.map(h => [h.version, h.status, h.chartVersion]),
    ).toEqual([
      [2, 'deployed', '19.6.5'],
      [1, 'superseded', '19.6.4'],
    ]);
    expect(upgraded.observedGeneration).toBe(2);
  });
});
