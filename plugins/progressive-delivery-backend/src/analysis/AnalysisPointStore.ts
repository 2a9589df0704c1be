import {
  AnalysisCheckEvidence,
  AnalysisPoint,
} from '@progressive-delivery/plugin-progressive-delivery-common';

/** One rollout of a canary: `revision` is the canary's `status.lastAppliedSpec`. */
export interface RolloutKey {
  cluster: string;
  namespace: string;
  canary: string;
  revision: string;
}

/** A check's description and new points, as the evaluator writes them. */
export interface CheckSeries {
  metric: string;
  unit?: 'percent' | 'milliseconds';
  range: { min?: number; max?: number };
  query?: { canary: string; primary: string };
  source?: string;
  points: AnalysisPoint[];
}

/**
 * Where measured points are kept beyond the process (the plugin database; the history layer's
 * AnalysisRepository implements it). The composition root hands it to the evaluator.
 */
export interface AnalysisPointStore {
  /** Idempotent per (rollout, metric, at): a point written twice is kept once. */
  appendPoints(rollout: RolloutKey, checks: CheckSeries[]): Promise<void>;
  /** What was recorded for a rollout, to restore after a restart. */
  evidenceOf(
    rollout: RolloutKey,
  ): Promise<{ rolloutId?: string; checks: AnalysisCheckEvidence[] }>;
}
