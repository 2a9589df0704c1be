import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Simulator, startSimulator } from '../Simulator';

/** A local HTTP server that records what reaches it and answers as told. */
class UpstreamDouble {
  readonly requests: Array<{
    method: string;
    url: string;
    body: string;
    headers: http.IncomingHttpHeaders;
  }> = [];
  answer = {
    status: 200,
    contentType: 'application/json',
    body: '{"status":"success"}',
  };
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      this.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
      });
      res.writeHead(this.answer.status, {
        'Content-Type': this.answer.contentType,
      });
      res.end(this.answer.body);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise(r => this.server.close(() => r()));
  }
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

const auth = { Authorization: 'Bearer simulator-token' };

describe('service proxy to a real upstream server', () => {
  let sim: Simulator;
  let url: string;
  let upstream: UpstreamDouble;
  let upstreamUrl: string;
  let undo: () => void;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'empty', http: true });
    url = sim.clusters[0].url;
    const test = sim.cluster('test');
    test.objects.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'echo', namespace: 'default' },
      spec: {
        ports: [
          { name: 'http', port: 8080, targetPort: 8080 },
          { name: 'admin', port: 9000, targetPort: 9000 },
        ],
      },
    });
    upstream = new UpstreamDouble();
    upstreamUrl = await upstream.start();
    undo = test.registerUpstream(
      'default',
      'echo',
      8080,
      `${upstreamUrl}/base`,
    );
  });

  afterAll(async () => {
    await sim.stop();
    await upstream.stop();
  });

  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.answer = {
      status: 200,
      contentType: 'application/json',
      body: '{"status":"success"}',
    };
  });

  const proxy = (id: string, path: string, init: RequestInit = {}) =>
    fetch(`${url}/api/v1/namespaces/default/services/${id}/proxy${path}`, {
      ...init,
      headers: { ...auth, ...(init.headers as Record<string, string>) },
    });

  it('forwards method, path, query string and Accept, and answers with the upstream status, type and body', async () => {
    upstream.answer = {
      status: 200,
      contentType: 'application/json',
      body: '{"status":"success","data":{"resultType":"vector","result":[]}}',
    };
    const res = await proxy(
      'echo:8080',
      '/api/v1/query?query=sum(up%7Bjob%3D%22a%22%7D)&time=1700000000',
      { headers: { Accept: 'application/json' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(
      '{"status":"success","data":{"resultType":"vector","result":[]}}',
    );
    expect(upstream.requests).toHaveLength(1);
    const [seen] = upstream.requests;
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe(
      '/base/api/v1/query?query=sum(up%7Bjob%3D%22a%22%7D)&time=1700000000',
    );
    expect(seen.headers.accept).toBe('application/json');
    // The caller's credentials stay with the API server.
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('forwards a POST body with its Content-Type and passes error statuses through', async () => {
    upstream.answer = {
      status: 422,
      contentType: 'application/json',
      body: '{"status":"error","errorType":"execution"}',
    };
    const res = await proxy('echo:8080', '/api/v1/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'query=rate(x%5B1m%5D)',
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      status: 'error',
      errorType: 'execution',
    });
    const [seen] = upstream.requests;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/base/api/v1/query');
    expect(seen.body).toBe('query=rate(x%5B1m%5D)');
    expect(seen.headers['content-type']).toBe(
      'application/x-www-form-urlencoded',
    );
  });

  it('reaches the port by number, by name and with the http: scheme, keeping a trailing slash', async () => {
    for (const id of ['echo:8080', 'echo:http', 'http:echo:8080']) {
      expect((await proxy(id, '/graph/')).status).toBe(200);
    }
    expect(upstream.requests.map(r => r.url)).toEqual([
      '/base/graph/',
      '/base/graph/',
      '/base/graph/',
    ]);
  });

  it('answers as kube-apiserver when the port or its endpoints are missing', async () => {
    const status = async (id: string) => {
      const res = await proxy(id, '/');
      return { code: res.status, ...(await res.json()) };
    };
    expect(await status('echo:9999')).toEqual({
      code: 503,
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'no service port 9999 found for service "echo"',
      reason: 'ServiceUnavailable',
    });
    expect(await status('echo:metrics')).toMatchObject({
      code: 503,
      message: 'no endpoints available for service "echo:metrics"',
    });
    // The Service's ports are named, so a request without a port matches none.
    expect(await status('echo')).toMatchObject({
      code: 503,
      message: 'no endpoints available for service "echo"',
    });
    // The other port has nothing registered.
    expect(await status('echo:9000')).toMatchObject({
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'no endpoints available for service "echo"',
    });
    expect(await status('ftp:echo:8080')).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'invalid service request "ftp:echo:8080"',
    });
    expect(await status('missing:80')).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'services "missing" not found',
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers 503 "error trying to reach service" when the upstream refuses the connection', async () => {
    const port = await closedPort();
    const test = sim.cluster('test');
    const undoAdmin = test.registerUpstream(
      'default',
      'echo',
      9000,
      `http://127.0.0.1:${port}`,
    );
    try {
      const res = await proxy('echo:9000', '/api/v1/query?query=up');
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `error trying to reach service: dial tcp 127.0.0.1:${port}: connect: connection refused`,
        reason: 'ServiceUnavailable',
        code: 503,
      });
    } finally {
      undoAdmin();
    }
  });

  it('refuses to speak TLS to a plain-HTTP upstream, as Go does', async () => {
    const res = await proxy('https:echo:8080', '/');
    expect(res.status).toBe(503);
    expect((await res.json()).message).toBe(
      'error trying to reach service: http: server gave HTTP response to HTTPS client',
    );
  });

  it('has no endpoints again once unregistered', async () => {
    undo();
    const res = await proxy('echo:8080', '/');
    expect(res.status).toBe(503);
    expect((await res.json()).message).toBe(
      'no endpoints available for service "echo"',
    );
    undo = sim
      .cluster('test')
      .registerUpstream('default', 'echo', 8080, `${upstreamUrl}/base`);
    expect((await proxy('echo:8080', '/')).status).toBe(200);
  });

  it('names what is wrong with a registration', () => {
    const test = sim.cluster('test');
    expect(() =>
      test.registerUpstream('default', 'echo', 0, upstreamUrl),
    ).toThrow(
      'upstream port for service default/echo must be an integer from 1 to 65535, got 0',
    );
    expect(() =>
      test.registerUpstream('default', 'echo', 8080, 'prometheus:9090'),
    ).toThrow('upstream base URL "prometheus:9090" must be http: or https:');
    expect(() =>
      test.registerUpstream('default', 'echo', 8080, 'not a url'),
    ).toThrow('upstream base URL "not a url" is not a URL');
  });

  it('delays service proxy answers by path prefix (pathLatencyMs)', async () => {
    const faults = sim.cluster('test').faults;
    const prefix = '/api/v1/namespaces/default/services/echo:8080/proxy';
    const timed = async (id: string) => {
      const started = Date.now();
      expect((await proxy(id, '/')).status).toBe(200);
      return Date.now() - started;
    };
    try {
      const res = await fetch(`${url}/_simulator/faults`, {
        method: 'POST',
        body: JSON.stringify({ pathLatencyMs: { [prefix]: 300 } }),
      });
      expect((await res.json()).pathLatencyMs).toEqual({ [prefix]: 300 });
      expect(await timed('echo:8080')).toBeGreaterThanOrEqual(290);
      // Another form of the same Service is another path: not delayed.
      expect(await timed('echo:http')).toBeLessThan(290);
      expect(faults.latencyFor(`${prefix}/api/v1/query`)).toBe(300);
      faults.set({ latencyMs: 10 });
      expect(faults.latencyFor(`${prefix}/x`)).toBe(310);
      expect(faults.latencyFor('/api/v1/namespaces')).toBe(10);
    } finally {
      faults.reset();
    }
  });

  it('refuses a bad latency setting and changes nothing', async () => {
    const faults = sim.cluster('test').faults;
    const res = await fetch(`${url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ latencyMs: 5, pathLatencyMs: { '/api': -1 } }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe(
      'pathLatencyMs["/api"] must be a number of milliseconds (0 or more), got -1',
    );
    expect(faults.snapshot()).toMatchObject({
      latencyMs: 0,
      pathLatencyMs: {},
    });
  });
});

describe("the demo clusters' Prometheus Service", () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'demo', http: true });
  });

  afterAll(() => sim.stop());

  it('exists in istio-system of both clusters and has no endpoints until a Prometheus is registered', async () => {
    for (const info of sim.clusters) {
      const service = sim
        .cluster(info.name)
        .objects.get('v1', 'Service', 'istio-system', 'prometheus');
      expect(service?.spec).toMatchObject({
        ports: [{ name: 'http', port: 9090, targetPort: 9090 }],
        type: 'ClusterIP',
      });
      const res = await fetch(
        `${info.url}/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query?query=up`,
        { headers: auth },
      );
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        reason: 'ServiceUnavailable',
        message: 'no endpoints available for service "prometheus"',
      });
    }
  });

  it("is the Service the MetricTemplates' provider.address names", () => {
    const templates = sim
      .cluster('prod-eu-1')
      .objects.list('flagger.app/v1beta1', 'MetricTemplate', 'istio-system');
    expect(templates.length).toBeGreaterThan(0);
    for (const t of templates) {
      const address = new URL(
        (t.spec as { provider: { address: string } }).provider.address,
      );
      const [name, namespace] = address.hostname.split('.');
      const service = sim
        .cluster('prod-eu-1')
        .objects.get('v1', 'Service', namespace, name);
      const ports = (service?.spec as { ports: Array<{ port: number }> }).ports;
      expect(ports.map(p => p.port)).toContain(Number(address.port));
    }
  });

  it('keeps answering the loadtester through the proxy, on its port', async () => {
    const info = sim.clusters[0];
    const post = (id: string) =>
      fetch(
        `${info.url}/api/v1/namespaces/tenant-a/services/${id}/proxy/gate/check`,
        {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: 'podinfo', namespace: 'tenant-a' }),
        },
      );
    const res = await post('flagger-loadtester:80');
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Forbidden');
    expect((await post('flagger-loadtester:http')).status).toBe(403);
    expect((await post('flagger-loadtester:8080')).status).toBe(503);
  });
});
