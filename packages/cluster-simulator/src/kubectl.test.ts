import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Simulator, startSimulator } from './Simulator';

const run = promisify(execFile);

/**
 * kubectl against the simulator through the kubeconfig it writes, over
 * HTTPS with the generated CA. Needs `kubectl` on PATH (Debian's
 * kubernetes-client, 1.20) or in $KUBECTL: without it this test fails
 * rather than pass unseen.
 */
describe('kubectl', () => {
  let sim: Simulator;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-simulator-'));
    sim = await startSimulator({
      scenario: 'demo',
      kubeconfigPath: path.join(dir, 'kubeconfig'),
    });
  });

  afterAll(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run(
      process.env.KUBECTL ?? 'kubectl',
      [
        '--kubeconfig',
        path.join(dir, 'kubeconfig'),
        '--cache-dir',
        path.join(dir, 'cache'),
        ...args,
      ],
      { timeout: 60_000, env: { ...process.env, HOME: dir } },
    );
    return stdout;
  }

  it('writes a kubeconfig with both clusters and the CA beside it', () => {
    const kubeconfig = fs.readFileSync(path.join(dir, 'kubeconfig'), 'utf8');
    expect(kubeconfig).toContain('name: prod-eu-1');
    expect(kubeconfig).toContain('name: dev-eu-1');
    expect(kubeconfig).toContain(
      `certificate-authority: ${path.join(dir, 'ca.crt')}`,
    );
    expect(fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8')).toContain(
      'BEGIN CERTIFICATE',
    );
  });

  it('lists canaries, kustomizations and virtualservices', async () => {
    const canaries = await kubectl('get', 'canaries', '-n', 'tenant-a');
    expect(canaries.split('\n')[0]).toMatch(
      /^NAME\s+STATUS\s+WEIGHT\s+LASTTRANSITIONTIME\s+AGE/,
    );
    expect(canaries).toMatch(/^podinfo\s+Succeeded\s+0\s/m);
    expect(canaries).toMatch(/^frontend\s+Succeeded\s+0\s/m);

    const kustomizations = await kubectl('get', 'kustomizations', '-A');
    expect(kustomizations).toMatch(/^flux-system\s+tenants\s/m);
    expect(kustomizations).toMatch(
      /^tenant-a\s+tenant-a\s.*True\s+Applied revision: main@sha1:/m,
    );

    const vs = JSON.parse(
      await kubectl(
        '--context',
        'dev-eu-1',
        'get',
        'virtualservices',
        '-A',
        '-o',
        'json',
      ),
    );
    expect(
      vs.items.map((i: { metadata: { name: string } }) => i.metadata.name),
    ).toEqual(['checkout', 'payments', 'podinfo', 'reports', 'search']);

    const phase = await kubectl(
      'get',
      'canary',
      'podinfo',
      '-n',
      'tenant-a',
      '-o',
      'jsonpath={.status.phase}',
    );
    expect(phase).toBe('Succeeded');
  });

  it("lists Flagger's HTTPRoutes and the Gateway API Gateway beside Istio's", async () => {
    const routes = await kubectl('get', 'httproutes', '-A');
    expect(routes.split('\n')[0]).toMatch(
      /^NAMESPACE\s+NAME\s+HOSTNAMES\s+AGE/,
    );
    expect(routes).toMatch(
      /^tenant-c\s+catalog-api\s+\["catalog-api\.example\.com"\]\s/m,
    );
    const gateways = await kubectl(
      'get',
      'gateways.gateway.networking.k8s.io',
      '-n',
      'istio-ingress',
    );
    expect(gateways).toMatch(
      /^main\s+istio\s+main-istio\.istio-ingress\.svc\.cluster\.local\s+True\s/m,
    );
    const weights = await kubectl(
      'get',
      'httproute',
      'catalog-api',
      '-n',
      'tenant-c',
      '-o',
      'jsonpath={.spec.rules[0].backendRefs[*].weight}',
    );
    expect(weights).toBe('100 0');
    const istio = await kubectl(
      'get',
      'gateways.networking.istio.io',
      '-n',
      'istio-system',
    );
    expect(istio).toMatch(/^public-gateway\s/m);
  });

  it("discovers the Gateway API group and serves Flagger's templates, providers and DaemonSets", async () => {
    const resources = await kubectl(
      'api-resources',
      '--api-group=gateway.networking.k8s.io',
    );
    expect(resources).toMatch(
      /^gateways\s.*gateway\.networking\.k8s\.io\/v1\s+true\s+Gateway$/m,
    );
    expect(resources).toMatch(
      /^httproutes\s.*gateway\.networking\.k8s\.io\/v1\s+true\s+HTTPRoute$/m,
    );
    const v1beta1 = JSON.parse(
      await kubectl(
        'get',
        '--raw',
        '/apis/gateway.networking.k8s.io/v1beta1/namespaces/tenant-c/httproutes',
      ),
    );
    expect(
      v1beta1.items.map(
        (i: { apiVersion: string; metadata: { name: string } }) =>
          `${i.apiVersion} ${i.metadata.name}`,
      ),
    ).toEqual(['gateway.networking.k8s.io/v1beta1 catalog-api']);
    expect(await kubectl('get', 'metrictemplates', '-A')).toMatch(
      /^istio-system\s+error-rate\s/m,
    );
    expect(await kubectl('get', 'alertproviders', '-A')).toMatch(
      /^flagger-system\s+on-call\s/m,
    );
    expect(
      JSON.parse(await kubectl('get', 'daemonsets', '-A', '-o', 'json')),
    ).toMatchObject({ kind: 'List', items: [] });
  });

  it("reaches a cluster's Prometheus through the service proxy with get --raw", async () => {
    const unroutedQuery =
      '/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query?query=up';
    // No Prometheus registered for dev-eu-1: the Service has no endpoints.
    await expect(
      kubectl('--context', 'dev-eu-1', 'get', '--raw', unroutedQuery),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'Error from server (ServiceUnavailable): no endpoints available for service "prometheus"',
      ),
    });
    // A stand-in Prometheus for prod-eu-1 that says what it was asked.
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { url: req.url } }));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const undo = sim
      .cluster('prod-eu-1')
      .registerUpstream(
        'istio-system',
        'prometheus',
        9090,
        `http://127.0.0.1:${port}`,
      );
    try {
      const answer = JSON.parse(
        await kubectl(
          'get',
          '--raw',
          '/api/v1/namespaces/istio-system/services/http:prometheus:9090/proxy/api/v1/query?query=up',
        ),
      );
      expect(answer).toEqual({
        status: 'success',
        data: { url: '/api/v1/query?query=up' },
      });
    } finally {
      undo();
      await new Promise(r => server.close(r));
    }
  });
});
