import { Clock } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import { HEALTH_P99_MS, HEALTH_SUCCESS_RATE } from '../util/simulatedHealth';
import { KubeObject } from '../types';
import { IstioTelemetry } from './telemetry/IstioTelemetry';
import { minuteVariation } from './telemetry/trafficShape';

/** What a workload's current pods would show in Istio telemetry. */
export interface WorkloadHealth {
  successRate: number;
  p99Ms: number;
}

const DEFAULT_HEALTH: WorkloadHealth = { successRate: 99.9, p99Ms: 250 };

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

/**
 * Istio telemetry for every canary's primary and canary workloads: request
 * counters and duration histograms accumulate over simulated time from each
 * workload's health and the VirtualService split, and Flagger's metric
 * checks read the same model, so /metrics agrees with the analysis.
 */
export class TrafficModel {
  private readonly telemetry = new IstioTelemetry();
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
    const variation = minuteVariation(namespace, workload, minute);
    const failing = 100 - health.successRate;
    const successRate = Math.min(
      100,
      Math.max(0, 100 - failing * variation.errors),
    );
    const p99Ms = health.p99Ms * variation.latency;
    return { successRate, p99Ms };
  }

  /** Adds the requests served since the last update to each workload's counters. */
  accumulate(): void {
    const now = this.clock.now();
    const from = this.lastUpdate;
    this.lastUpdate = now;
    if (now <= from) return;
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
        const health =
          weight > 0
            ? healthOf(
                this.store.getByKind('apps/v1', 'Deployment', ns, workload),
              )
            : DEFAULT_HEALTH;
        this.telemetry.serve(
          { namespace: ns, workload, service, weight, health },
          from,
          now,
        );
      }
    }
  }

  /** Prometheus text of istio_requests_total and istio_request_duration_milliseconds. */
  render(): string {
    this.accumulate();
    return this.telemetry.render();
  }
}
