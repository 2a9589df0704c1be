/** Rollout profile of a tenant, as in the seed's production/development canaries. */
export interface CanaryProfile {
  interval: string;
  stepWeight: number;
  maxWeight: number;
  threshold: number;
  /** request-success-rate thresholdRange.min, in percent. */
  minSuccessRate: number;
  /** request-duration thresholdRange.max, in milliseconds (p99). */
  maxP99Ms: number;
}

export const PRODUCTION_PROFILE: CanaryProfile = {
  interval: '60s',
  stepWeight: 5,
  maxWeight: 20,
  threshold: 10,
  minSuccessRate: 99.5,
  maxP99Ms: 500,
};

export const DEVELOPMENT_PROFILE: CanaryProfile = {
  interval: '30s',
  stepWeight: 10,
  maxWeight: 50,
  threshold: 5,
  minSuccessRate: 95,
  maxP99Ms: 1000,
};
