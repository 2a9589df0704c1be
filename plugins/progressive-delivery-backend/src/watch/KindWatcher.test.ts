import { mockServices } from '@backstage/backend-test-utils';
import { Simulator, startSimulator } from '@internal/cluster-simulator';
import { DEMO_SIMULATOR } from '../__testUtils__/demoSimulator';
import { waitFor } from '../__testUtils__/waitFor';
import { ClusterConfig } from './WatchConfig';
import { WatchedKind, WATCHED_KINDS } from './kinds';
import { KindWatcher } from './KindWatcher';
import { ClientNodeKubernetesClient } from './KubernetesClient';
import { ObjectStore } from './ObjectStore';

jest.setTimeout(20_000);

const ROLLOUTS: WatchedKind = {
  kind: 'Rollout',
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'rollouts',
};
const CANARIES = WATCHED_KINDS.find(k => k.kind === 'Canary')!;

describe('KindWatcher against the cluster simulator', () => {
  let sim: Simulator;
  const watchers: KindWatcher[] = [];

  beforeAll(async () => {
    sim = await startSimulator(DEMO_SIMULATOR);
  });

  afterAll(async () => {
    await sim?.stop();
  });

  afterEach(() => {
    watchers.splice(0).forEach(w => w.stop());
  });

  async function watcherFor(
    kind: WatchedKind,
    overrides: Partial<ClusterConfig> = {},
  ) {
    const info = sim.clusters[0];
    const cluster: ClusterConfig = {
      name: info.name,
      url: info.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: info.token,
      skipTLSVerify: true,
      ...overrides,
    };
    const store = new ObjectStore();
    const statusChanges = jest.fn();
    const watcher = new KindWatcher({
      cluster: cluster.name,
      kind,
      client: await ClientNodeKubernetesClient.create(cluster),
      sink: store,
      logger: mockServices.logger.mock(),
      backoff: { initialMs: 20, maxMs: 200 },
      onStatusChange: statusChanges,
    });
    watchers.push(watcher);
    watcher.start();
    return { watcher, store, statusChanges };
  }

  it('lists and watches a kind', async () => {
    const { watcher, store, statusChanges } = await watcherFor(CANARIES);
    expect(statusChanges).not.toHaveBeenCalled();
    await waitFor(
      () => watcher.status(),
      s => s.state === 'synced',
      { what: 'sync' },
    );
    // The state service reads the clusters' status again only when told it changed.
    expect(statusChanges).toHaveBeenCalled();
    expect(store.size(sim.clusters[0].name, 'Canary')).toBe(
      sim
        .cluster(sim.clusters[0].name)
        .objects.list('flagger.app/v1beta1', 'Canary').length,
    );
  });

  it('reports a kind whose CRD is not installed as notInstalled, not as an error', async () => {
    const { watcher } = await watcherFor(ROLLOUTS);
    const status = await waitFor(
      () => watcher.status(),
      s => s.state !== 'pending',
      { what: 'the first list' },
    );
    expect(status).toEqual({
      kind: 'Rollout',
      state: 'notInstalled',
      objects: 0,
    });
  });

  it('names the cluster, kind and verb on 401', async () => {
    const { watcher } = await watcherFor(CANARIES, {
      serviceAccountToken: 'wrong',
    });
    const status = await waitFor(
      () => watcher.status(),
      s => s.state === 'error',
      {
        what: 'the error',
      },
    );
    expect(status.error).toMatchObject({
      errorType: 'UNAUTHORIZED',
      statusCode: 401,
      kind: 'Canary',
      verb: 'list',
      message: expect.stringContaining(
        `cannot list canaries in cluster ${sim.clusters[0].name}`,
      ),
    });
  });

  it('reports an unreachable server and keeps retrying', async () => {
    const { watcher } = await watcherFor(CANARIES, {
      url: 'http://127.0.0.1:1',
    });
    const status = await waitFor(
      () => watcher.status(),
      s => s.state === 'error',
      {
        what: 'the error',
      },
    );
    expect(status.error?.errorType).toBe('UNREACHABLE');
  });
});

describe('KindWatcher over HTTPS', () => {
  let sim: Simulator;
  const watchers: KindWatcher[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'demo', port: 0, clock: 'virtual' });
  });

  afterAll(async () => {
    await sim?.stop();
  });

  afterEach(() => {
    watchers.splice(0).forEach(w => w.stop());
  });

  async function httpsWatcher(caData: string | undefined) {
    const info = sim.clusters[0];
    const store = new ObjectStore();
    const watcher = new KindWatcher({
      cluster: info.name,
      kind: CANARIES,
      client: await ClientNodeKubernetesClient.create({
        name: info.name,
        url: info.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: info.token,
        caData,
        skipTLSVerify: false,
      }),
      sink: store,
      logger: mockServices.logger.mock(),
      backoff: { initialMs: 20, maxMs: 200 },
    });
    watchers.push(watcher);
    watcher.start();
    const status = await waitFor(
      () => watcher.status(),
      s => s.state !== 'pending',
      { what: 'the first list' },
    );
    return { info, store, status };
  }

  it('lists and watches with the cluster CA from caData', async () => {
    const { info, store, status } = await httpsWatcher(sim.clusters[0].caData);
    expect(info.url.startsWith('https://')).toBe(true);
    expect(status.state).toBe('synced');
    // The watch stream uses the same TLS settings: a change arrives through it.
    const objects = sim.cluster(info.name).objects;
    const [canary] = objects.list('flagger.app/v1beta1', 'Canary');
    const { namespace, name } = canary.metadata;
    objects.patch('flagger.app/v1beta1', 'Canary', namespace, name, {
      status: { failedChecks: 3 },
    });
    const seen = await waitFor(
      () => store.get(info.name, 'Canary', namespace!, name),
      o => (o?.status as any)?.failedChecks === 3,
      { what: 'the change over the HTTPS watch' },
    );
    expect(seen).toBeDefined();
  });

  it('refuses a server it cannot verify', async () => {
    const { status } = await httpsWatcher(undefined);
    expect(status.state).toBe('error');
  });
});
