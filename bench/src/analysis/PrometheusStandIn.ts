import http from 'node:http';
import { AddressInfo } from 'node:net';

/** Queries the stand-in answered, by Prometheus HTTP API path. */
export interface QueryCounts {
  instant: number;
  range: number;
  other: number;
}

/**
 * A Prometheus stand-in for the scale benchmark: it answers the HTTP API's instant
 * (`/api/v1/query`) and range (`/api/v1/query_range`) queries with one sample in the shape
 * Prometheus uses (a `vector`, or a `matrix` with one value per step), and counts them. At the
 * benchmark's size a real Prometheus would measure itself, not the evaluator; the evaluator's
 * correctness against a real Prometheus is the backend's integration tests' job.
 */
export class PrometheusStandIn {
  private counts: QueryCounts = { instant: 0, range: 0, other: 0 };

  private readonly server: http.Server;
  private url_ = '';

  private constructor(private readonly value: number) {
    this.server = http.createServer((req, res) => {
      void readForm(req).then(form => {
        const body = this.answer(req.url ?? '/', form, this.value);
        res.writeHead(body.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body.json));
      });
    });
  }

  /** Starts answering on a free loopback port; every query's value is `value`. */
  static async start(value = 99.9): Promise<PrometheusStandIn> {
    const standIn = new PrometheusStandIn(value);
    await new Promise<void>(resolve =>
      standIn.server.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = standIn.server.address() as AddressInfo;
    standIn.url_ = `http://127.0.0.1:${port}`;
    return standIn;
  }

  get url(): string {
    return this.url_;
  }

  /** The counts since the last reset. */
  read(): QueryCounts {
    return { ...this.counts };
  }

  reset(): void {
    this.counts = { instant: 0, range: 0, other: 0 };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private answer(
    url: string,
    form: URLSearchParams,
    value: number,
  ): { status: number; json: unknown } {
    const parsed = new URL(url, 'http://stand-in');
    const params = new URLSearchParams([
      ...parsed.searchParams.entries(),
      ...form.entries(),
    ]);
    if (!params.get('query')) {
      this.counts.other++;
      return badRequest('parameter "query" is missing');
    }
    const now = Date.now() / 1000;
    if (parsed.pathname.endsWith('/api/v1/query')) {
      this.counts.instant++;
      const time = Number(params.get('time') ?? now);
      return success('vector', [{ metric: {}, value: [time, String(value)] }]);
    }
    if (parsed.pathname.endsWith('/api/v1/query_range')) {
      this.counts.range++;
      const start = Number(params.get('start'));
      const end = Number(params.get('end'));
      const step = parseStep(params.get('step'));
      if (!(end >= start) || !(step > 0)) {
        return badRequest('invalid start, end or step');
      }
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end && values.length < 11_000; t += step) {
        values.push([t, String(value)]);
      }
      return success('matrix', [{ metric: {}, values }]);
    }
    this.counts.other++;
    return { status: 404, json: { status: 'error', error: 'not found' } };
  }
}

function success(resultType: string, result: unknown[]) {
  return {
    status: 200,
    json: { status: 'success', data: { resultType, result } },
  };
}

function badRequest(error: string) {
  return {
    status: 400,
    json: { status: 'error', errorType: 'bad_data', error },
  };
}

/** Prometheus accepts a step in seconds (float) or as a duration such as `30s` or `1m`. */
export function parseStep(step: string | null): number {
  if (!step) return NaN;
  const match = step.match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!match) return NaN;
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] ?? 's'] ?? 1;
  return Number(match[1]) * factor;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const type = req.headers['content-type'] ?? '';
  return type.includes('application/x-www-form-urlencoded')
    ? new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
    : new URLSearchParams();
}
