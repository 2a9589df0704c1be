import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A query the stand-in answered. */
export interface FakePrometheusCall {
  path: string;
  query: string;
}

export interface FakePrometheus {
  url: string;
  calls: FakePrometheusCall[];
  stop(): Promise<void>;
}

/**
 * A stand-in for Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`) answering each
 * query with one series whose value `valueOf(query)` gives (`undefined`: an empty vector), in
 * the JSON shapes Prometheus writes (prometheus/prometheus web/api/v1/api.go). For tests that
 * need the evaluator's queries answered without running a Prometheus; what a real one answers
 * is tested against Debian's `prometheus` (analysis.test.ts).
 */
export async function startFakePrometheus(
  valueOf: (query: string) => number | undefined,
): Promise<FakePrometheus> {
  const calls: FakePrometheusCall[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = url.searchParams.get('query') ?? '';
    calls.push({ path: url.pathname, query });
    const value = valueOf(query);
    const series = (sample: object) =>
      value === undefined ? [] : [{ metric: {}, ...sample }];
    let data: object;
    if (url.pathname.endsWith('/api/v1/query_range')) {
      const start = Number(url.searchParams.get('start'));
      const end = Number(url.searchParams.get('end'));
      const step = Number(url.searchParams.get('step'));
      const values = [];
      for (let t = start; t <= end + 1e-6; t += step) {
        values.push([Math.round(t * 1000) / 1000, String(value)]);
      }
      data = { resultType: 'matrix', result: series({ values }) };
    } else {
      const time = Number(url.searchParams.get('time') ?? Date.now() / 1000);
      data = {
        resultType: 'vector',
        result: series({ value: [time, String(value)] }),
      };
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise(resolve => server.close(() => resolve())),
  };
}
