import { Simulator } from '@internal/cluster-simulator';
import http from 'node:http';
import { AddressInfo } from 'node:net';
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

  function client(token?: string, timeoutMs?: number, url?: string) {
    const info = sim.clusters.find(c => c.name === 'dev-eu-1')!;
    return new KubeConfigActionClient(
      {
        name: info.name,
        url: url ?? info.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: token ?? info.token,
        skipTLSVerify: true,
      },
      timeoutMs,
    );
  }

  const proxyPath =
    '/api/v1/namespaces/tenant-b/services/flagger-loadtester:80/proxy';

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
  });

  it('reads a Service, and nothing for one that does not exist', async () => {
    const service = await client().getService('tenant-b', 'flagger-loadtester');
    expect((service?.spec as any).ports).toEqual([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
    ]);
    expect(await client().getService('tenant-b', 'nope')).toBeUndefined();
  });

  describe('no answer', () => {
    it('is "unreachable" when nothing was sent: the connection was refused', async () => {
      const closed = http.createServer();
      await new Promise<void>(r => closed.listen(0, '127.0.0.1', r));
      const { port } = closed.address() as AddressInfo;
      await new Promise(r => closed.close(r));
      const refused = client(undefined, 500, `http://127.0.0.1:${port}`);
      await expect(
        refused.proxyPost(loadtester, '/gate/open', {}),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(
          /^cluster dev-eu-1 is unreachable for service tenant-b\/flagger-loadtester: .*ECONNREFUSED/,
        ),
      });
    });

    it('is "outcome unknown" when a write was sent and the answer did not come in time', async () => {
      sim
        .cluster('dev-eu-1')
        .faults.set({ pathLatencyMs: { [proxyPath]: 2000 } });
      const started = Date.now();
      await expect(
        client(undefined, 300).proxyPost(loadtester, '/gate/open', {
          name: 'checkout',
          namespace: 'tenant-b',
        }),
      ).rejects.toMatchObject({
        name: 'OutcomeUnknownError',
        statusCode: 504,
        message: expect.stringMatching(
          /^POST of service tenant-b\/flagger-loadtester was sent to cluster dev-eu-1, but no answer came back: no answer from .* within 0.3s$/,
        ),
      });
      expect(Date.now() - started).toBeLessThan(1500);
    });

    it('is "outcome unknown" for a patch that got no answer, "unreachable" for a read', async () => {
      sim.cluster('dev-eu-1').faults.set({ latencyMs: 2000 });
      await expect(
        client(undefined, 300).mergePatch(
          kustomization,
          'tenant-b',
          'tenant-b',
          {
            spec: { suspend: false },
          },
        ),
      ).rejects.toMatchObject({ name: 'OutcomeUnknownError' });
      await expect(
        client(undefined, 300).getService('tenant-b', 'flagger-loadtester'),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(
          /^cluster dev-eu-1 did not answer for Service tenant-b\/flagger-loadtester: no answer from .* within 0.3s$/,
        ),
      });
    });

    it('is "outcome unknown" when the proxy lost the answer after forwarding, "unavailable" when it could not dial', async () => {
      // A loadtester that reads the request and drops the connection without answering.
      const dropping = http.createServer(req => req.socket.destroy());
      await new Promise<void>(r => dropping.listen(0, '127.0.0.1', r));
      const { port } = dropping.address() as AddressInfo;
      const undo = sim
        .cluster('dev-eu-1')
        .registerUpstream(
          'tenant-b',
          'flagger-loadtester',
          80,
          `http://127.0.0.1:${port}`,
        );
      try {
        await expect(
          client().proxyPost(loadtester, '/gate/open', {}),
        ).rejects.toMatchObject({
          name: 'OutcomeUnknownError',
          message: expect.stringMatching(
            /^cluster dev-eu-1 forwarded POST \/gate\/open to service tenant-b\/flagger-loadtester, which did not answer \(error trying to reach service: /,
          ),
        });
        await new Promise(r => dropping.close(r));
        await expect(
          client().proxyPost(loadtester, '/gate/open', {}),
        ).rejects.toMatchObject({
          name: 'ServiceUnavailableError',
          message: expect.stringContaining('connect: connection refused'),
        });
      } finally {
        undo();
        dropping.close();
      }
    });
  });
});
