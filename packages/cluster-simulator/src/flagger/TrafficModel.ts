import { Clock } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import { HEALTH_P99_MS, HEALTH_SUCCESS_RATE } from '../util/simulatedHealth';
import { KubeObject } from '../types';
import { fnv32a } from '../util/hash';

/** What a workload's current pods would show in Istio telemetry. */
export interface WorkloadHealth {
  successRate: number;
  p99Ms: number;
}

const DEFAULT_HEALTH: WorkloadHealth = { successRate: 99.9, p99Ms: 250 };
/** Requests per second the mesh sends to one service (split by the VirtualService). */
const SERVICE_RPS = 20;
const BUCKETS = [
  1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000,
];

interface Counters {
  namespace: string;
  workload: string;
  service: string;
  ok: number;
  failed: number;
  /** Cumulative count per bucket (le), plus sum of durations. */
  buckets: number[];
  sum: number;
}

/** Health from the pod-template annotations that scenarios set per revision. */
export function healthOf(deployment: KubeObject | undefined): WorkloadHealth {
  const annotations =
    (
      deployment?.spec as {
        template?: { metadata?: { annotations?: Record<string, string> } };
      }
    )?.template?.metadata?.annotations ?? {};
  const rate = Number(annotations[HEALTH_SUCCESS_RATE]);
  const p99 = Number(annotations[HEALTH_P99_MS]);
  return {
    successRate: Number.isFinite(rate) ? rate : DEFAULT_HEALTH.successRate,
    p99Ms: Number.isFinite(p99) ? p99 : DEFAULT_HEALTH.p99Ms,
  };
}

/** Deterministic value in [0, 1) from a seed string. */
function unit(seed: string): number {
  return fnv32a(seed) / 4294967296;
}

/**
 * Istio telemetry for every canary's primary and canary workloads: request
 * counters and duration histograms accumulate over simulated time from each
 * workload's health and the VirtualService split, and Flagger's metric
 * checks read the same model, so /metrics agrees with the analysis.
 */
export class TrafficModel {
  private readonly counters = new Map<string, Counters>();
  private readonly weights = new Map<
    string,
    { primary: number; canary: number }
  >();
  private lastUpdate: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
  ) {
    this.lastUpdate = clock.now();
  }

  /** Records the split a VirtualService now routes (accumulating traffic up to now first). */
  setWeights(
    namespace: string,
    target: string,
    primary: number,
    canary: number,
  ): void {
    this.accumulate();
    this.weights.set(`${namespace}/${target}`, { primary, canary });
  }

  /**
   * What Prometheus would return for the canary workload over the last
   * interval: health with a small deterministic variation per minute.
   */
  observe(namespace: string, workload: string): WorkloadHealth | undefined {
    const dep = this.store.getByKind(
      'apps/v1',
      'Deployment',
      namespace,
      workload,
    );
    const ready =
      (dep?.status as { readyReplicas?: number } | undefined)?.readyReplicas ??
      0;
    if (!dep || ready === 0) return undefined;
    const health = healthOf(dep);
    const minute = Math.floor(this.clock.now() / 60_000);
    const u = unit(`${namespace}/${workload}/${minute}`);
    const v = unit(`${workload}/${namespace}/${minute}`);
    const failing = 100 - health.successRate;
    // Errors vary by up to +-25 % of their level; latency by up to +-8 %.
    const successRate = Math.min(
      100,
      Math.max(0, 100 - failing * (0.75 + u * 0.5)),
    );
    const p99Ms = health.p99Ms * (0.92 + v * 0.16);
    return { successRate, p99Ms };
  }

  private counter(
    namespace: string,
    workload: string,
    service: string,
  ): Counters {
    const key = `${namespace}/${workload}`;
    let c = this.counters.get(key);
    if (!c) {
      c = {
        namespace,
        workload,
        service,
        ok: 0,
        failed: 0,
        buckets: BUCKETS.map(() => 0),
        sum: 0,
      };
      this.counters.set(key, c);
    }
    return c;
  }

  /** Adds the requests served since the last update to each workload's counters. */
  accumulate(): void {
    const now = this.clock.now();
    const seconds = (now - this.lastUpdate) / 1000;
    this.lastUpdate = now;
    if (seconds <= 0) return;
    for (const canary of this.store.listObjects(
      'flagger.app/v1beta1',
      'Canary',
    )) {
      const ns = canary.metadata.namespace ?? '';
      const target =
        (canary.spec as { targetRef?: { name?: string } }).targetRef?.name ??
        '';
      const service =
        (canary.spec as { service?: { name?: string } }).service?.name ||
        target;
      const split = this.weights.get(`${ns}/${target}`) ?? {
        primary: 100,
        canary: 0,
      };
      for (const [workload, weight] of [
        [`${target}-primary`, split.primary],
        [target, split.canary],
      ] as const) {
        const c = this.counter(ns, workload, service);
        const requests = (SERVICE_RPS * seconds * weight) / 100;
        if (requests <= 0) continue;
        const health = healthOf(
          this.store.getByKind('apps/v1', 'Deployment', ns, workload),
        );
        c.ok += requests * (health.successRate / 100);
        c.failed += requests * (1 - health.successRate / 100);
        // Exponential latency with the given p99: P(x <= t) = 1 - exp(-t ln(100) / p99).
        const lambda = Math.log(100) / Math.max(1, health.p99Ms);
        BUCKETS.forEach((le, i) => {
          c.buckets[i] += requests * (1 - Math.exp(-lambda * le));
        });
        c.sum += requests / lambda;
      }
    }
  }

  /** Prometheus text of istio_requests_total and istio_request_duration_milliseconds. */
  render(): string {
    this.accumulate();
    const lines: string[] = [
      '# HELP istio_requests_total Total requests.',
      '# TYPE istio_requests_total counter',
    ];
    const labels = (c: Counters) =>
      `reporter="destination",source_workload="istio-ingressgateway",source_workload_namespace="istio-system",destination_workload="${c.workload}",destination_workload_namespace="${c.namespace}",destination_service="${c.service}.${c.namespace}.svc.cluster.local",destination_service_name="${c.service}",destination_service_namespace="${c.namespace}",request_protocol="http"`;
    const all = [...this.counters.values()].sort((a, b) =>
      `${a.namespace}/${a.workload}`.localeCompare(
        `${b.namespace}/${b.workload}`,
      ),
    );
    for (const c of all) {
      lines.push(
        `istio_requests_total{${labels(c)},response_code="200"} ${Math.floor(
          c.ok,
        )}`,
      );
      lines.push(
        `istio_requests_total{${labels(c)},response_code="500"} ${Math.floor(
          c.failed,
        )}`,
      );
    }
    lines.push(
      '# HELP istio_request_duration_milliseconds Request duration in milliseconds.',
      '# TYPE istio_request_duration_milliseconds histogram',
    );
    for (const c of all) {
      const l = `${labels(c)},response_code="200"`;
      BUCKETS.forEach((le, i) => {
        lines.push(
          `istio_request_duration_milliseconds_bucket{${l},le="${le}"} ${Math.floor(
            c.buckets[i],
          )}`,
        );
      });
      const total = Math.floor(c.ok + c.failed);
      lines.push(
        `istio_request_duration_milliseconds_bucket{${l},le="+Inf"} ${total}`,
      );
      lines.push(
        `istio_request_duration_milliseconds_sum{${l}} ${c.sum.toFixed(3)}`,
      );
      lines.push(`istio_request_duration_milliseconds_count{${l}} ${total}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
