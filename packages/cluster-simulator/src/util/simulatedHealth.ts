/**
 * Pod-template annotations that set a workload's simulated health: scenarios
 * write them per revision, the traffic model reads them.
 */
export const HEALTH_SUCCESS_RATE =
  'simulator.progressive-delivery.io/success-rate';
export const HEALTH_P99_MS = 'simulator.progressive-delivery.io/latency-p99-ms';

/** The health a workload revision shows in the simulated telemetry. */
export interface Health {
  successRate: number;
  p99Ms: number;
}

/** The pod-template annotations for `health`. */
export function healthAnnotations(health: Health): Record<string, string> {
  return {
    [HEALTH_SUCCESS_RATE]: String(health.successRate),
    [HEALTH_P99_MS]: String(health.p99Ms),
  };
}
