import http from 'node:http';
import { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startSimulator } from '@internal/cluster-simulator';
import { kubeConfigFor, KubeResponse, kubeRequest } from './kubeRequest';
import { ClusterConfig } from './WatchConfig';

/**
 * An API server that answers once per connection and resets a kept-alive connection when a
 * second request comes on it: what a client sees when the server closed an idle connection
 * while the request was on its way.
 */
async function resettingServer() {
  const requests = new Map<unknown, number>();
  const seen: Array<{ method?: string; reused: boolean }> = [];
  const server = http.createServer((req, res) => {
    const count = (requests.get(req.socket) ?? 0) + 1;
    requests.set(req.socket, count);
    seen.push({ method: req.method, reused: count > 1 });
    if (count > 1) {
      req.socket.resetAndDestroy();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ kind: 'List', items: [] }));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const cluster: ClusterConfig = {
    name: 'prod',
    url: `http://127.0.0.1:${port}`,
    authProvider: 'serviceAccount',
    serviceAccountToken: 'token',
    skipTLSVerify: true,
  };
  return { server, cluster, seen };
}

describe('kubeRequest', () => {
  it('sends a GET again when its kept-alive connection was reset, and a write never', async () => {
    const { server, cluster, seen } = await resettingServer();
    const kubeConfig = kubeConfigFor(cluster);
    try {
      const path = '/apis/flagger.app/v1beta1/canaries?limit=500';
      for (let page = 0; page < 3; page++) {
        const res = await kubeRequest(cluster, kubeConfig, {
          method: 'GET',
          path,
        });
        expect(res.statusCode).toBe(200);
      }
      // The second and third pages went out on the first page's connection, were reset, and
      // went again on a new one.
      expect(seen.filter(s => s.reused)).toHaveLength(2);
      expect(seen).toHaveLength(5);

      const patch = await kubeRequest(cluster, kubeConfig, {
        method: 'PATCH',
        path: '/apis/flagger.app/v1beta1/namespaces/test/canaries/podinfo',
        body: '{}',
        contentType: 'application/merge-patch+json',
      });
      expect(patch.statusCode).toBe(200);
      expect(seen.at(-1)).toEqual({ method: 'PATCH', reused: false });
    } finally {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });

  it('lets go of an answered page while its kept-alive TLS connection lives on', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const sim = await startSimulator({
      scenario: 'demo',
      port: 0,
      clock: 'virtual',
    });
    try {
      const [info] = sim.clusters;
      expect(info.url).toMatch(/^https:/);
      const cluster: ClusterConfig = {
        name: info.name,
        url: info.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: info.token,
        caData: info.caData,
        skipTLSVerify: false,
      };
      const kubeConfig = kubeConfigFor(cluster);
      const answered = async () => {
        const response = await kubeRequest(cluster, kubeConfig, {
          method: 'GET',
          path: '/apis/flagger.app/v1beta1/canaries?limit=500',
        });
        expect(response.body).toContain('"items"');
        return new WeakRef<KubeResponse>(response);
      };
      const page = await answered();
      // A second page on the same connection: the first is the one its TLS session listener keeps.
      await answered();
      await new Promise(resolve => setTimeout(resolve, 10));
      gc();
      expect(page.deref()).toBeUndefined();
    } finally {
      await sim.stop();
    }
  });
});
