/** Flagger analysis settings of a canary profile. */
export interface CanaryProfile {
  interval: string;
  stepWeight: number;
  maxWeight: number;
  threshold: number;
  /** Minimum request success rate, percent. */
  minSuccessRate: number;
  /** Maximum p99 request duration, milliseconds. */
  maxLatencyP99Ms: number;
  /** Maximum 5xx rate, percent. */
  maxErrorRate: number;
  /** Run a load test before any traffic shifts to the canary. */
  preRolloutLoadTest: boolean;
  /** Hold promotion until someone opens the loadtester's gate. */
  confirmPromotion: boolean;
}

/**
 * Production is conservative and gated; development moves fast. Values from the platform
 * documents this project serves (seed 001) as fixed by issue 7.
 */
export const CANARY_PROFILES: Record<
  'production' | 'development',
  CanaryProfile
> = {
  production: {
    interval: '60s',
    stepWeight: 5,
    maxWeight: 20,
    threshold: 10,
    minSuccessRate: 99.5,
    maxLatencyP99Ms: 500,
    maxErrorRate: 0.5,
    preRolloutLoadTest: true,
    confirmPromotion: true,
  },
  development: {
    interval: '30s',
    stepWeight: 10,
    maxWeight: 50,
    threshold: 5,
    minSuccessRate: 95,
    maxLatencyP99Ms: 1000,
    maxErrorRate: 5,
    preRolloutLoadTest: false,
    confirmPromotion: false,
  },
};
