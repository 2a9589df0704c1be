import { Simulator } from '@internal/cluster-simulator';
import { startDemoSimulator } from '../__testUtils__/simulatorBackend';
import { WATCHED_KINDS } from '../watch/kinds';
import { KubeConfigActionClient } from './ClusterActionClient';

const READ_ONLY = 'read-only';
const kustomization = WATCHED_KINDS.find(k => k.kind === 'Kustomization')!;
const loadtester = {
  service: 'flagger-loadtester',
  namespace: 'tenant-b',
  port: '80',
  path: '/gate/check',
};

describe('KubeConfigActionClient against the cluster simulator', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startDemoSimulator({
      tokens: [
        {
          token: READ_ONLY,
          user: 'system:serviceaccount:backstage:reader',
          allow: [{ verbs: ['get', 'list', 'watch'], resources: ['*'] }],
        },
      ],
    });
  });

  afterAll(async () => {
    await sim?.stop();
  });

  afterEach(() => sim.cluster('dev-eu-1').faults.reset());

  function client(token?: string) {
    const info = sim.clusters.find(c => c.name === 'dev-eu-1')!;
    return new KubeConfigActionClient({
      name: info.name,
      url: info.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: token ?? info.token,
      skipTLSVerify: true,
    });
  }

  it('merge-patches an object and opens a gate through the service proxy', async () => {
    const patched = await client().mergePatch(
      kustomization,
      'tenant-b',
      'tenant-b',
      { spec: { suspend: true } },
    );
    expect((patched.spec as { suspend?: boolean }).suspend).toBe(true);
    await client().proxyPost(loadtester, '/gate/open', {
      name: 'checkout',
      namespace: 'tenant-b',
    });
    expect(
      sim
        .cluster('dev-eu-1')
        .cluster.loadtester('tenant-b')
        .isOpen('checkout.tenant-b'),
    ).toBe(true);
  });

  it('explains what the service account may not do', async () => {
    await expect(
      client(READ_ONLY).proxyPost(loadtester, '/gate/open', {
        name: 'checkout',
        namespace: 'tenant-b',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^cluster dev-eu-1 refused to create services\/proxy for service tenant-b\/flagger-loadtester: the backend's service account needs that right/,
      ),
    });
    await expect(
      client(READ_ONLY).mergePatch(kustomization, 'tenant-b', 'tenant-b', {}),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('refused to patch kustomizations'),
    });
  });

  it('answers 404, 409 and 503 with the cluster and object named', async () => {
    await expect(
      client().mergePatch(kustomization, 'tenant-b', 'nope', {}),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining(
        'cluster dev-eu-1: Kustomization tenant-b/nope not found',
      ),
    });
    // The loadtester's own refusal (a closed static gate) is not a Kubernetes Status.
    await expect(
      client().proxyPost(loadtester, '/gate/halt', {}),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'service tenant-b/flagger-loadtester answered 403 to POST /gate/halt: Forbidden',
    });
    sim.cluster('dev-eu-1').faults.set({ down: true });
    await expect(
      client().proxyPost(loadtester, '/gate/open', {}),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('cluster dev-eu-1 is unreachable'),
    });
  });
});
