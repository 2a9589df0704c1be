import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ClusterConfig } from '../watch/WatchConfig';
import {
  HttpPrometheusTransport,
  MAX_QUERIES_IN_FLIGHT,
  PrometheusQueries,
  QueryOutcome,
} from './PrometheusClient';
import { PrometheusRoute } from './prometheusRoute';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  orgId?: string;
}

/** A fake server: the API server (service proxy) or a configured Prometheus. */
async function fakeServer(
  answer: (req: http.IncomingMessage) => {
    status: number;
    body: string;
    delayMs?: number;
  },
) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      orgId: req.headers['x-scope-orgid'] as string | undefined,
    });
    const { status, body, delayMs } = answer(req);
    setTimeout(() => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    }, delayMs ?? 0);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const VECTOR = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'vector',
    result: [{ metric: {}, value: [1767225600, '99.5'] }],
  },
});

const status = (code: number, message: string) =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message,
    code,
  });

const clusterAt = (url: string): ClusterConfig => ({
  name: 'prod-eu-1',
  url,
  authProvider: 'serviceAccount',
  serviceAccountToken: 'sa-token',
  skipTLSVerify: true,
});

const proxyRoute = (secretRef?: string): PrometheusRoute => ({
  kind: 'proxy',
  cluster: 'prod-eu-1',
  address: 'http://prometheus.istio-system:9090/prom/',
  target: {
    namespace: 'istio-system',
    service: 'prometheus',
    port: '9090',
    path: '/prom/',
  },
  secretRef,
  source: 'service proxy http://prometheus.istio-system:9090/prom/',
});

const AT = Date.UTC(2026, 0, 1);
const QUERY =
  'sum(rate(istio_requests_total{destination_workload=~"podinfo"}[1m]))';

describe('PrometheusQueries over the service proxy', () => {
  let server: Awaited<ReturnType<typeof fakeServer>>;
  let next: { status: number; body: string; delayMs?: number };
  const queries = () =>
    new PrometheusQueries(
      new HttpPrometheusTransport([clusterAt(server.url)], 500),
    );

  beforeAll(async () => {
    server = await fakeServer(() => next);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.seen.length = 0;
  });

  it("GETs the query through the API server's service proxy with the cluster's token", async () => {
    next = { status: 200, body: VECTOR };
    expect(await queries().instant(proxyRoute(), QUERY, AT)).toEqual({
      value: 99.5,
    });
    expect(server.seen).toHaveLength(1);
    const [seen] = server.seen;
    expect(seen.method).toBe('GET');
    expect(seen.authorization).toBe('Bearer sa-token');
    const url = new URL(seen.url, server.url);
    // The address' path, then Prometheus' API path, as Flagger joins them.
    expect(url.pathname).toBe(
      '/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/prom/api/v1/query',
    );
    expect(url.searchParams.get('query')).toBe(QUERY);
    expect(url.searchParams.get('time')).toBe('1767225600.000');
  });

  it('asks a range for the backfill, step = the interval', async () => {
    next = {
      status: 200,
      body: JSON.stringify({
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: {},
              values: [
                [1767225600, '99'],
                [1767225660, '98'],
              ],
            },
          ],
        },
      }),
    };
    const readings = (await queries().range(
      proxyRoute(),
      QUERY,
      [AT, AT + 60_000, AT + 120_000],
      60_000,
    )) as Map<number, QueryOutcome>;
    expect([...readings.values()]).toEqual([
      { value: 99 },
      { value: 98 },
      { fault: expect.objectContaining({ kind: 'no-values' }) },
    ]);
    const url = new URL(server.seen[0].url, server.url);
    expect(url.pathname).toMatch(/\/proxy\/prom\/api\/v1\/query_range$/);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      query: QUERY,
      start: '1767225600.000',
      end: '1767225720.000',
      step: '60',
    });
  });

  it.each([
    [
      'the API server refuses the proxy',
      403,
      status(
        403,
        'services "prometheus:9090" is forbidden: User "system:serviceaccount:backstage:pd" cannot get resource "services/proxy"',
      ),
      undefined,
      'forbidden',
      /cluster prod-eu-1 refused the service proxy .*cannot get resource "services\/proxy".*needs get on services\/proxy in namespace istio-system/,
    ],
    [
      'Prometheus wants the credentials of a Secret',
      401,
      'Unauthorized',
      'prom-auth',
      'forbidden',
      /answered 401 Unauthorized: .*Secret prom-auth.*does not read Secrets: set progressiveDelivery\.analysis\.clusters\.prod-eu-1\.prometheus\.url/,
    ],
    [
      'the API server proxy refuses a template with a Secret',
      403,
      status(403, 'forbidden'),
      'prom-auth',
      'forbidden',
      /does not read Secrets/,
    ],
    [
      'the service has no endpoints',
      503,
      status(503, 'no endpoints available for service "prometheus"'),
      undefined,
      'unreachable',
      /the API server answered 503 Service Unavailable: no endpoints available/,
    ],
    [
      'Prometheus rejects the PromQL',
      400,
      JSON.stringify({
        status: 'error',
        errorType: 'bad_data',
        error: '1:17: parse error: unclosed left parenthesis',
      }),
      undefined,
      'query',
      /rejected the query \(400 Bad Request, bad_data\): 1:17: parse error: unclosed left parenthesis$/,
    ],
    [
      'something else fails',
      500,
      'boom',
      undefined,
      'query',
      /error response: Status 500 Internal Server Error: boom/,
    ],
  ])(
    '%s: a %s answer is a fault',
    async (_, code, body, secretRef, kind, message) => {
      next = { status: code, body };
      expect(await queries().instant(proxyRoute(secretRef), QUERY, AT)).toEqual(
        {
          fault: { kind, message: expect.stringMatching(message) },
        },
      );
    },
  );

  it('is unreachable after the timeout', async () => {
    next = { status: 200, body: VECTOR, delayMs: 2000 };
    expect(await queries().instant(proxyRoute(), QUERY, AT)).toEqual({
      fault: {
        kind: 'unreachable',
        message: expect.stringMatching(
          /cluster prod-eu-1 is unreachable for the service proxy to http:\/\/prometheus.istio-system:9090\/prom\/: no answer .* within 0.5s/,
        ),
      },
    });
  });
});

describe('PrometheusQueries against a configured URL', () => {
  let server: Awaited<ReturnType<typeof fakeServer>>;
  let next: { status: number; body: string; delayMs?: number };
  beforeAll(async () => {
    server = await fakeServer(() => next);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.seen.length = 0;
  });

  const configured = (auth: object): PrometheusRoute => ({
    kind: 'configured',
    cluster: 'dev-eu-1',
    prometheus: {
      url: `${server.url}/prometheus`,
      headers: { 'X-Scope-OrgID': 'dev' },
      ...auth,
    },
    source: `configured ${server.url}/prometheus`,
  });
  const queries = new PrometheusQueries(new HttpPrometheusTransport([], 500));

  it('sends the bearer token and headers, under the URL path', async () => {
    next = { status: 200, body: VECTOR };
    await queries.instant(configured({ bearerToken: 't0k' }), QUERY, AT);
    expect(server.seen[0]).toMatchObject({
      method: 'GET',
      authorization: 'Bearer t0k',
      orgId: 'dev',
    });
    expect(new URL(server.seen[0].url, server.url).pathname).toBe(
      '/prometheus/api/v1/query',
    );
  });

  it('sends basic auth', async () => {
    next = { status: 200, body: VECTOR };
    await queries.instant(
      configured({ basicAuth: { username: 'u', password: 'p' } }),
      QUERY,
      AT,
    );
    expect(server.seen[0].authorization).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
  });

  it('says to check the configured credentials on 401', async () => {
    next = { status: 401, body: 'no' };
    expect(
      await queries.instant(configured({ bearerToken: 'bad' }), QUERY, AT),
    ).toEqual({
      fault: {
        kind: 'forbidden',
        message: expect.stringMatching(
          /configured for dev-eu-1\) answered 401 Unauthorized: check the credentials in progressiveDelivery.analysis.clusters.dev-eu-1.prometheus/,
        ),
      },
    });
  });

  it('is unreachable when nothing listens', async () => {
    const route: PrometheusRoute = {
      ...configured({}),
      prometheus: { url: 'http://127.0.0.1:1', headers: {} },
    } as PrometheusRoute;
    expect(await queries.instant(route, QUERY, AT)).toEqual({
      fault: {
        kind: 'unreachable',
        message: expect.stringMatching(/127.0.0.1:1 .* did not answer/),
      },
    });
  });
});

describe('HttpPrometheusTransport', () => {
  it('keeps a bounded number of queries in flight to each Prometheus, and answers them all', async () => {
    let inFlight = 0;
    let most = 0;
    const server = http.createServer((_req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(VECTOR);
      }, 20);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const queries = new PrometheusQueries(
        new HttpPrometheusTransport([clusterAt(url)], 5_000),
      );
      const configured: PrometheusRoute = {
        kind: 'configured',
        cluster: 'dev-eu-1',
        prometheus: { url: `${url}/prometheus`, headers: {} },
        source: `configured ${url}/prometheus`,
      };
      for (const route of [proxyRoute(), configured]) {
        most = 0;
        const burst = Array.from({ length: 4 * MAX_QUERIES_IN_FLIGHT }, () =>
          queries.instant(route, QUERY, AT),
        );
        const answers = await Promise.all(burst);
        expect(answers.every(a => 'value' in a && a.value === 99.5)).toBe(true);
        expect(most).toBe(MAX_QUERIES_IN_FLIGHT);
      }
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });
});
