import { IstioTelemetry, ServedTraffic } from './IstioTelemetry';
import { SLOT_MS, serviceRps, slotHealth } from './trafficShape';

const START = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

const traffic = (
  workload: string,
  weight: number,
  health = { successRate: 99.9, p99Ms: 200 },
): ServedTraffic => ({
  namespace: 'tenant-a',
  workload,
  service: 'podinfo',
  weight,
  health,
});

/** Sample value of the series whose labels contain every given `k="v"`. */
function sample(text: string, name: string, ...labels: string[]): number {
  const line = text
    .split('\n')
    .find(l => l.startsWith(`${name}{`) && labels.every(x => l.includes(x)));
  if (!line) throw new Error(`no ${name} with ${labels.join(',')}`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

function requests(text: string, workload: string, code: string): number {
  return sample(
    text,
    'istio_requests_total',
    `destination_workload="${workload}"`,
    `response_code="${code}"`,
  );
}

function successRate(text: string, workload: string): number {
  const [ok, notFound, e500, e503] = ['200', '404', '500', '503'].map(code =>
    requests(text, workload, code),
  );
  return ((ok + notFound) / (ok + notFound + e500 + e503)) * 100;
}

describe('IstioTelemetry', () => {
  it('serves the labels Flagger filters on, for both workloads, with response codes', () => {
    const t = new IstioTelemetry();
    t.serve(traffic('podinfo-primary', 90), START, START + 5 * MINUTE);
    t.serve(traffic('podinfo', 10), START, START + 5 * MINUTE);
    const text = t.render();
    for (const workload of ['podinfo-primary', 'podinfo']) {
      expect(text).toMatch(
        new RegExp(
          `istio_requests_total\\{reporter="destination",[^}]*destination_workload="${workload}",destination_workload_namespace="tenant-a"[^}]*response_code="200"\\} [1-9]\\d*`,
        ),
      );
    }
    expect(text).toContain(
      'destination_service="podinfo.tenant-a.svc.cluster.local"',
    );
    expect(text).toContain('response_code="503"');
    expect(text).toContain('le="+Inf"');
    // Histogram buckets are cumulative and end at the count.
    const buckets = text
      .split('\n')
      .filter(
        l =>
          l.startsWith('istio_request_duration_milliseconds_bucket{') &&
          l.includes('destination_workload="podinfo-primary"') &&
          l.includes('response_code="200"'),
      )
      .map(l => Number(l.slice(l.lastIndexOf(' ') + 1)));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets[buckets.length - 1]).toBe(
      requests(text, 'podinfo-primary', '200'),
    );
  });

  it('counts at the service rate, split by weight, and does not depend on when it is read', () => {
    const once = new IstioTelemetry();
    once.serve(traffic('podinfo', 25), START, START + 10 * MINUTE);
    const inSteps = new IstioTelemetry();
    for (let t = START; t < START + 10 * MINUTE; t += 7_321) {
      inSteps.serve(
        traffic('podinfo', 25),
        t,
        Math.min(t + 7_321, START + 10 * MINUTE),
      );
    }
    const a = once.render();
    const b = inSteps.render();
    for (const code of ['200', '500', '503']) {
      expect(
        Math.abs(requests(a, 'podinfo', code) - requests(b, 'podinfo', code)),
      ).toBeLessThanOrEqual(1);
    }
    const total = ['200', '404', '500', '503']
      .map(code => requests(a, 'podinfo', code))
      .reduce((x, y) => x + y, 0);
    let expected = 0;
    for (
      let slot = START / SLOT_MS;
      slot < (START + 10 * MINUTE) / SLOT_MS;
      slot++
    )
      expected += serviceRps('tenant-a', 'podinfo', slot) * 10 * 0.25;
    expect(Math.abs(total - expected)).toBeLessThan(4);
  });

  it('varies from slot to slot around the health, and a bad revision is visibly worse', () => {
    const good = { successRate: 99.6, p99Ms: 410 };
    const bad = { successRate: 88.5, p99Ms: 1450 };
    const slots = Array.from({ length: 30 }, (_, i) => START / SLOT_MS + i);
    const shares = slots.map(
      s => slotHealth('tenant-b', 'payments', good, s).errorShare,
    );
    expect(new Set(shares.map(x => x.toFixed(6))).size).toBeGreaterThan(20);
    const rps = slots.map(s => serviceRps('tenant-b', 'payments', s));
    expect(Math.max(...rps) / Math.min(...rps)).toBeGreaterThan(1.1);

    const t = new IstioTelemetry();
    t.serve(traffic('payments-primary', 90, good), START, START + 5 * MINUTE);
    t.serve(traffic('payments', 10, bad), START, START + 5 * MINUTE);
    const text = t.render();
    const primary = successRate(text, 'payments-primary');
    const canary = successRate(text, 'payments');
    expect(primary).toBeGreaterThan(99.2);
    expect(primary).toBeLessThan(99.9);
    expect(canary).toBeGreaterThan(84);
    expect(canary).toBeLessThan(93);
    // Same inputs, same counters.
    const again = new IstioTelemetry();
    again.serve(traffic('payments', 10, bad), START, START + 5 * MINUTE);
    expect(requests(again.render(), 'payments', '500')).toBe(
      requests(text, 'payments', '500'),
    );
  });

  it('creates a workload without traffic as zero series', () => {
    const t = new IstioTelemetry();
    t.serve(traffic('podinfo', 0), START, START + MINUTE);
    expect(requests(t.render(), 'podinfo', '200')).toBe(0);
  });
});
