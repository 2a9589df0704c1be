import { Entity } from '@backstage/catalog-model';
import { AzureIdentityStrategy } from '@backstage/plugin-kubernetes-backend';
import { Simulator, startSimulator } from '@internal/cluster-simulator';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canaryEvent,
  clusterAuthModule,
  clusterStatus,
  eventCount,
  FakeTokenCredential,
  waitForEvents,
} from './__testUtils__/clusterAuth';
import { DEMO_SIMULATOR } from './__testUtils__/demoSimulator';
import {
  DEV,
  ENTITIES,
  PROD,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(60_000);

describe('clusters from every locator of the Kubernetes plugin', () => {
  let sim: Simulator;
  let backend: SimulatorBackend | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-clusters-'));
    sim = await startDemoSimulator();
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('in-cluster: a serviceAccount cluster without a token reads the pod token file, re-read when it rotates', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'pod-token-1\n');
    sim.auth.addTokenFile({ path: tokenFile });
    const info = sim.clusters.find(c => c.name === PROD)!;
    backend = await startSimulatorBackend(sim, {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: PROD,
                url: info.url,
                authProvider: 'serviceAccount',
                caData: info.caData,
              },
            ],
          },
        ],
      },
      progressiveDelivery: { inClusterTokenFile: tokenFile },
    });
    const status = await clusterStatus(backend, PROD);
    expect(status).toMatchObject({
      state: 'synced',
      source: 'inCluster',
      authProvider: 'serviceAccount',
      userDelegatedActions: false,
    });
    const before = await eventCount(backend, PROD);

    // The kubelet rotates the token: the API server refuses the old one from now on.
    writeFileSync(tokenFile, 'pod-token-2\n');
    sim.cluster(PROD).faults.dropWatches();
    sim.cluster(PROD).objects.create(canaryEvent('after-rotation'));
    await waitForEvents(
      backend,
      PROD,
      before + 1,
      'the watch to resume with the rotated token',
    );
    expect((await clusterStatus(backend, PROD)).state).toBe('synced');
    sim.auth.removeTokenFile(tokenFile);
  });

  it('localKubectlProxy: the cluster "local" at kubectl proxy, anonymous', async () => {
    const proxy = await startSimulator({
      ...DEMO_SIMULATOR,
      startTime: Date.now(),
      http: true,
      anonymous: true,
    });
    try {
      const info = proxy.clusters.find(c => c.name === DEV)!;
      backend = await startSimulatorBackend(proxy, {
        kubernetes: { clusterLocatorMethods: [{ type: 'localKubectlProxy' }] },
        progressiveDelivery: { localKubectlProxyUrl: info.url },
      });
      expect(await clusterStatus(backend, 'local')).toMatchObject({
        state: 'synced',
        url: info.url,
        source: 'localKubectlProxy',
        authProvider: 'localKubectlProxy',
        userDelegatedActions: false,
      });
      // The canaries of the cluster behind the proxy are there.
      const canaries = await backend.get('/v1/canaries?cluster=local');
      expect(canaries.status).toBe(200);
    } finally {
      await backend?.stop();
      backend = undefined;
      await proxy.stop();
    }
  });

  // eslint-disable-next-line jest/expect-expect -- the assertions are in catalogClustersComeAndGo
  it('catalog: kubernetes-cluster Resources start and stop their watchers while the backend runs', async () => {
    // Over HTTPS with the entity's CA, as a catalog cluster must be.
    const tls = await startSimulator({
      ...DEMO_SIMULATOR,
      startTime: Date.now(),
      http: false,
    });
    try {
      await catalogClustersComeAndGo(tls);
    } finally {
      await backend?.stop();
      backend = undefined;
      await tls.stop();
    }
  });

  async function catalogClustersComeAndGo(tls: Simulator) {
    const credential = new FakeTokenCredential(tls, {
      lifetimeMs: 60 * 60_000,
    });
    const resource = (name: string): Entity => {
      const info = tls.clusters.find(c => c.name === name)!;
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name,
          namespace: 'default',
          annotations: {
            'kubernetes.io/api-server': info.url,
            'kubernetes.io/api-server-certificate-authority': info.caData!,
            'kubernetes.io/auth-provider': 'azure',
          },
        },
        spec: { type: 'kubernetes-cluster', owner: 'team-platform' },
      };
    };
    let entities: Entity[] = [...ENTITIES, resource(PROD)];
    backend = await startSimulatorBackend(tls, {
      entities: () => entities,
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog', dangerouslyAllowClusterUrls: ['127.0.0.1'] },
        ],
      },
      progressiveDelivery: { catalogClusterRefreshSeconds: 0.2 },
      features: [
        clusterAuthModule(logger => ({
          azure: new AzureIdentityStrategy(logger, credential as any),
        })),
      ],
    });
    const read = () => backend!.get('/v1/clusters');
    const synced = (name: string) => (res: any) =>
      (res.body.items as any[]).some(
        c => c.name === name && c.state === 'synced',
      );
    await waitFor(read, synced(PROD), {
      what: `${PROD} from the catalog`,
      timeoutMs: 30_000,
    });
    expect(await clusterStatus(backend, PROD)).toMatchObject({
      source: 'catalog',
      authProvider: 'azure',
      userDelegatedActions: false,
    });
    const canaries = async (cluster: string) =>
      (
        (await backend!.get(`/v1/canaries?cluster=${cluster}`)).body
          .items as any[]
      ).length;

    entities = [...entities, resource(DEV)];
    await waitFor(read, synced(DEV), {
      what: `${DEV} added to the catalog`,
      timeoutMs: 30_000,
    });
    expect(await canaries(DEV)).toBeGreaterThan(0);

    entities = entities.filter(e => e.metadata.name !== PROD);
    await waitFor(
      read,
      res => !(res.body.items as any[]).some(c => c.name === PROD),
      { what: `${PROD} removed from the catalog`, timeoutMs: 30_000 },
    );
    // Its objects left the cache with it.
    expect(await canaries(PROD)).toBe(0);
    expect(credential.issued).toEqual(['azure-1']);
  }

  it('catalog: Resources the Kubernetes plugin would ignore are ignored (serviceAccount, private URL)', async () => {
    const info = sim.clusters.find(c => c.name === PROD)!;
    const annotations = {
      'kubernetes.io/api-server': info.url,
      'kubernetes.io/api-server-certificate-authority': info.caData!,
    };
    const resource = (name: string, extra: Record<string, string>): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name, annotations: { ...annotations, ...extra } },
      spec: { type: 'kubernetes-cluster' },
    });
    backend = await startSimulatorBackend(sim, {
      entities: [
        ...ENTITIES,
        resource('with-token', {
          'kubernetes.io/auth-provider': 'serviceAccount',
        }),
        resource('private', { 'kubernetes.io/auth-provider': 'azure' }),
      ],
      // No dangerouslyAllowClusterUrls: 127.0.0.1 is not a public address.
      kubernetes: { clusterLocatorMethods: [{ type: 'catalog' }] },
      progressiveDelivery: { catalogClusterRefreshSeconds: 0.1 },
    });
    await new Promise(resolve => setTimeout(resolve, 500));
    expect((await backend.get('/v1/clusters')).body.items).toEqual([]);
  });

  it('gke: reported as unsupported, beside the config clusters', async () => {
    const info = sim.clusters.find(c => c.name === PROD)!;
    backend = await startSimulatorBackend(sim, {
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'gke', projectId: 'acme-prod' },
          {
            type: 'config',
            clusters: [
              {
                name: PROD,
                url: info.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: info.token,
                caData: info.caData,
              },
            ],
          },
        ],
      },
    });
    const items = (await backend.get('/v1/clusters')).body.items as any[];
    expect(items.find(c => c.name === PROD)).toMatchObject({
      state: 'synced',
      source: 'config',
    });
    const gke = items.find(c => c.name === 'gke:acme-prod');
    expect(gke).toMatchObject({ state: 'error', source: 'gke' });
    expect(gke.errors[0].message).toMatch(
      /gke cluster locator \(project acme-prod\) is not supported/,
    );
  });
});
