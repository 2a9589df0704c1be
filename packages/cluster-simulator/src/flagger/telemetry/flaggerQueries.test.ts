import { MINUTE, useDemoCluster } from '../__testUtils__/demoCluster';
import { renderFlaggerIstioQuery } from './__fixtures__/flaggerIstioQueries';

/**
 * Checks the simulated Istio telemetry against Flagger's own built-in Istio
 * queries (verbatim in the fixture), without a Prometheus: the selectors are
 * taken from the rendered PromQL and evaluated on two scrapes of /metrics one
 * interval apart, as `rate()` over that interval would see them.
 */

type Series = { name: string; labels: Record<string, string>; value: number };
type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };

function parseMetrics(text: string): Series[] {
  return text
    .split('\n')
    .filter(l => l && !l.startsWith('#'))
    .map(line => {
      const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unparsable metrics line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) {
        labels[k] = v;
      }
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

/** The metric selectors of a PromQL text: `name{matchers}`. */
function selectors(
  promql: string,
): Array<{ name: string; matchers: Matcher[] }> {
  return [...promql.matchAll(/(\w+)\{([^}]*)\}/g)].map(([, name, body]) => ({
    name,
    matchers: [...body.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map(
      ([, label, op, value]) => ({ label, op: op as Matcher['op'], value }),
    ),
  }));
}

/** Prometheus label matching; regular expressions are fully anchored. */
function matches(series: Series, name: string, matchers: Matcher[]) {
  return (
    series.name === name &&
    matchers.every(({ label, op, value }) => {
      const actual = series.labels[label] ?? '';
      const re = new RegExp(`^(?:${value})$`);
      switch (op) {
        case '=':
          return actual === value;
        case '!=':
          return actual !== value;
        case '=~':
          return re.test(actual);
        default:
          return !re.test(actual);
      }
    })
  );
}

/** `sum(increase(selector[interval]))` from two scrapes, grouped by `by`. */
function increases(
  before: Series[],
  after: Series[],
  selector: { name: string; matchers: Matcher[] },
  by?: string,
): Map<string, number> {
  const key = (s: Series) =>
    `${s.name}{${Object.entries(s.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}}`;
  const earlier = new Map(before.map(s => [key(s), s.value]));
  const sums = new Map<string, number>();
  for (const s of after.filter(x =>
    matches(x, selector.name, selector.matchers),
  )) {
    const group = by ? s.labels[by] : '';
    const delta = s.value - (earlier.get(key(s)) ?? 0);
    sums.set(group, (sums.get(group) ?? 0) + delta);
  }
  return sums;
}

/** Prometheus' histogram_quantile over cumulative `le` buckets. */
function histogramQuantile(q: number, buckets: Map<string, number>): number {
  const sorted = [...buckets]
    .map(([le, count]) => ({ le: Number(le), count }))
    .sort((a, b) => a.le - b.le);
  const total = sorted[sorted.length - 1].count;
  const rank = q * total;
  let prev = { le: 0, count: 0 };
  for (const b of sorted) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prev.le;
      return (
        prev.le +
        ((b.le - prev.le) * (rank - prev.count)) / (b.count - prev.count)
      );
    }
    prev = b;
  }
  return NaN;
}

describe("the simulated Istio telemetry under Flagger's built-in Istio queries", () => {
  const demo = useDemoCluster();

  it('gives the success rate and p99 each workload was released with', async () => {
    demo.prod.releaseRevision('tenant-a', 'podinfo', {
      image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
      successRate: 97,
      p99Ms: 700,
    });
    await demo.advance(3 * MINUTE);
    expect(demo.canaryStatus('podinfo').phase).toBe('Progressing');
    const before = parseMetrics(await demo.metrics());
    await demo.advance(MINUTE);
    const after = parseMetrics(await demo.metrics());

    const measured: Record<string, { rate: number; p99: number }> = {};
    for (const target of ['podinfo', 'podinfo-primary']) {
      const model = { namespace: 'tenant-a', target, interval: '1m' };
      const [ok, all] = selectors(
        renderFlaggerIstioQuery('request-success-rate', model),
      );
      expect([ok.name, all.name]).toEqual([
        'istio_requests_total',
        'istio_requests_total',
      ]);
      const good = increases(before, after, ok).get('')!;
      const total = increases(before, after, all).get('')!;
      expect(total).toBeGreaterThan(0);
      expect(good).toBeLessThan(total); // some 5xx, filtered out by response_code!~"5.*"
      const [bucket] = selectors(
        renderFlaggerIstioQuery('request-duration', model),
      );
      const buckets = increases(before, after, bucket, 'le');
      expect(buckets.has('+Inf')).toBe(true);
      measured[target] = {
        rate: (good / total) * 100,
        p99: histogramQuantile(0.99, buckets),
      };
    }
    // The new revision's health and the primary's (the demo's production podinfo: 99.9 %, 180 ms).
    expect(measured.podinfo.rate).toBeGreaterThan(94);
    expect(measured.podinfo.rate).toBeLessThan(99);
    expect(measured['podinfo-primary'].rate).toBeGreaterThan(99);
    expect(measured.podinfo.p99).toBeGreaterThan(500);
    expect(measured.podinfo.p99).toBeLessThan(1000);
    expect(measured['podinfo-primary'].p99).toBeLessThan(400);
  });
});
