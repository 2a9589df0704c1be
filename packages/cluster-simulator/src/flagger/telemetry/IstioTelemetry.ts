import {
  NOT_FOUND_SHARE,
  SLOT_MS,
  UNAVAILABLE_SHARE,
  serviceRps,
  slotHealth,
} from './trafficShape';

/** Istio's default bucket boundaries for istio_request_duration_milliseconds. */
const BUCKETS = [
  1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000,
];
/** Response codes in the order they are rendered. */
const CODES = ['200', '404', '500', '503'] as const;
type ResponseCode = (typeof CODES)[number];

/** One response code's request counter and duration histogram. */
interface CodeCounters {
  requests: number;
  /** Cumulative count per bucket boundary (le). */
  buckets: number[];
  sum: number;
}

/** The destination-side telemetry of one workload. */
interface WorkloadCounters {
  namespace: string;
  workload: string;
  service: string;
  codes: Record<ResponseCode, CodeCounters>;
}

/** What a workload serves over a period: its share of the service's requests, and its health. */
export interface ServedTraffic {
  namespace: string;
  workload: string;
  service: string;
  /** Percent of the service's requests routed to this workload. */
  weight: number;
  health: { successRate: number; p99Ms: number };
}

function emptyCodes(): Record<ResponseCode, CodeCounters> {
  const codes = {} as Record<ResponseCode, CodeCounters>;
  for (const code of CODES) {
    codes[code] = { requests: 0, buckets: BUCKETS.map(() => 0), sum: 0 };
  }
  return codes;
}

/**
 * Istio's standard metrics as the destination sidecars of the simulated
 * workloads report them: `istio_requests_total` per response code and the
 * `istio_request_duration_milliseconds` histogram, accumulated slot by slot
 * (`SLOT_MS`) from each workload's share of its service's requests, so the
 * counters at a simulated instant do not depend on when they were read.
 */
export class IstioTelemetry {
  private readonly counters = new Map<string, WorkloadCounters>();

  /** The workload's counters, created at zero (a series that exists before traffic reaches it). */
  ensure(namespace: string, workload: string, service: string): void {
    const key = `${namespace}/${workload}`;
    if (!this.counters.has(key)) {
      this.counters.set(key, {
        namespace,
        workload,
        service,
        codes: emptyCodes(),
      });
    }
  }

  /** Adds the requests `traffic.workload` served between two simulated instants. */
  serve(traffic: ServedTraffic, fromMs: number, toMs: number): void {
    this.ensure(traffic.namespace, traffic.workload, traffic.service);
    if (traffic.weight <= 0) return;
    const c = this.counters.get(`${traffic.namespace}/${traffic.workload}`)!;
    for (let t = fromMs; t < toMs; ) {
      const slot = Math.floor(t / SLOT_MS);
      const end = Math.min(toMs, (slot + 1) * SLOT_MS);
      const requests =
        (serviceRps(traffic.namespace, traffic.service, slot) *
          ((end - t) / 1000) *
          traffic.weight) /
        100;
      const health = slotHealth(
        traffic.namespace,
        traffic.workload,
        traffic.health,
        slot,
      );
      const failed = requests * health.errorShare;
      const ok = requests - failed;
      // Exponential latency with the slot's p99: P(x <= t) = 1 - exp(-t ln(100) / p99).
      const lambda = Math.log(100) / health.p99Ms;
      const shares = BUCKETS.map(le => 1 - Math.exp(-lambda * le));
      add(c.codes['200'], ok * (1 - NOT_FOUND_SHARE), shares, lambda);
      add(c.codes['404'], ok * NOT_FOUND_SHARE, shares, lambda);
      add(c.codes['503'], failed * UNAVAILABLE_SHARE, shares, lambda);
      add(c.codes['500'], failed * (1 - UNAVAILABLE_SHARE), shares, lambda);
      t = end;
    }
  }

  /** Prometheus text of istio_requests_total and istio_request_duration_milliseconds. */
  render(): string {
    const all = [...this.counters.values()].sort((a, b) =>
      `${a.namespace}/${a.workload}`.localeCompare(
        `${b.namespace}/${b.workload}`,
      ),
    );
    const lines: string[] = [
      '# HELP istio_requests_total Total requests.',
      '# TYPE istio_requests_total counter',
    ];
    for (const c of all) {
      for (const code of CODES) {
        lines.push(
          `istio_requests_total{${labels(c, code)}} ${Math.floor(
            c.codes[code].requests,
          )}`,
        );
      }
    }
    lines.push(
      '# HELP istio_request_duration_milliseconds Request duration in milliseconds.',
      '# TYPE istio_request_duration_milliseconds histogram',
    );
    for (const c of all) {
      for (const code of CODES) {
        lines.push(...histogram(labels(c, code), c.codes[code]));
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

function add(
  c: CodeCounters,
  requests: number,
  shares: number[],
  lambda: number,
): void {
  if (requests <= 0) return;
  c.requests += requests;
  shares.forEach((share, i) => {
    c.buckets[i] += requests * share;
  });
  c.sum += requests / lambda;
}

function histogram(l: string, c: CodeCounters): string[] {
  const total = Math.floor(c.requests);
  return [
    ...BUCKETS.map(
      (le, i) =>
        `istio_request_duration_milliseconds_bucket{${l},le="${le}"} ${Math.min(
          total,
          Math.floor(c.buckets[i]),
        )}`,
    ),
    `istio_request_duration_milliseconds_bucket{${l},le="+Inf"} ${total}`,
    `istio_request_duration_milliseconds_sum{${l}} ${c.sum.toFixed(3)}`,
    `istio_request_duration_milliseconds_count{${l}} ${total}`,
  ];
}

/**
 * The labels Istio's destination sidecar puts on its standard metrics (a
 * subset: no principals, no grpc status), for traffic from the ingress
 * gateway; response_code last.
 */
function labels(c: WorkloadCounters, code: ResponseCode): string {
  const service = `${c.service}.${c.namespace}.svc.cluster.local`;
  return [
    'reporter="destination"',
    'source_workload="istio-ingressgateway"',
    'source_workload_namespace="istio-system"',
    'source_canonical_service="istio-ingressgateway"',
    `destination_workload="${c.workload}"`,
    `destination_workload_namespace="${c.namespace}"`,
    `destination_app="${c.service}"`,
    `destination_canonical_service="${c.workload}"`,
    'destination_canonical_revision="latest"',
    `destination_service="${service}"`,
    `destination_service_name="${c.service}"`,
    `destination_service_namespace="${c.namespace}"`,
    'request_protocol="http"',
    'connection_security_policy="mutual_tls"',
    `response_flags="${code === '503' ? 'UF' : '-'}"`,
    `response_code="${code}"`,
  ].join(',');
}
