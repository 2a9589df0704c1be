import {
  AnalysisCheckEvidence,
  AnalysisFault,
  AnalysisPoint,
  CanaryAnalysisEvidence,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { CheckSeries, RolloutKey } from './AnalysisPointStore';

/** A check as described by its rendering: everything but its points and fault. */
export type CheckDescription = Omit<CheckSeries, 'points'>;

interface CheckRecord {
  description: CheckDescription;
  points: AnalysisPoint[];
  fault?: AnalysisFault;
}

/**
 * What the evaluator measured for one rollout of one canary, in memory: each check's points,
 * oldest first, at most `maxPoints` per check (the oldest are dropped first), one per time.
 */
export class RolloutEvidence {
  rolloutId?: string;
  /** How often the point store was asked for `rolloutId`. */
  idLookups = 0;
  intervalMs: number;
  lastEvaluatedAtMs?: number;
  private readonly checks = new Map<string, CheckRecord>();

  constructor(
    readonly rollout: RolloutKey,
    private readonly maxPoints: number,
    intervalMs: number,
  ) {
    this.intervalMs = intervalMs;
  }

  /** Takes what the database kept of this rollout (before anything measured now). */
  restore(stored: { rolloutId?: string; checks: AnalysisCheckEvidence[] }) {
    this.rolloutId = stored.rolloutId ?? this.rolloutId;
    for (const check of stored.checks) {
      const { points, latest, fault, ...description } = check;
      this.describe(description);
      this.addPoints(check.metric, points);
    }
    const end = this.endMs();
    if (end !== undefined) {
      this.lastEvaluatedAtMs = Math.max(this.lastEvaluatedAtMs ?? 0, end);
    }
  }

  /** Sets (or updates) a check's description, keeping its points. */
  describe(description: CheckDescription): void {
    const record = this.checks.get(description.metric);
    if (record) {
      record.description = description;
    } else {
      this.checks.set(description.metric, { description, points: [] });
    }
  }

  setFault(metric: string, fault: AnalysisFault | undefined): void {
    const record = this.checks.get(metric);
    if (record) {
      record.fault = fault;
    }
  }

  /** Merges points by time (a point at a known time replaces it), oldest first, bounded. */
  addPoints(metric: string, points: AnalysisPoint[]): void {
    const record = this.checks.get(metric);
    if (!record || points.length === 0) {
      return;
    }
    const byTime = new Map(record.points.map(p => [Date.parse(p.at), p]));
    for (const point of points) {
      byTime.set(Date.parse(point.at), point);
    }
    record.points = [...byTime.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, p]) => p)
      .slice(-this.maxPoints);
  }

  /** The newest point's time over all checks (ms), if any. */
  endMs(): number | undefined {
    let end: number | undefined;
    for (const { points } of this.checks.values()) {
      const last = points[points.length - 1];
      if (last) {
        end = Math.max(end ?? -Infinity, Date.parse(last.at));
      }
    }
    return end;
  }

  hasChecks(): boolean {
    return this.checks.size > 0;
  }

  /** The evidence as the API shows it. */
  toEvidence(evaluating: boolean): CanaryAnalysisEvidence {
    const evidence: CanaryAnalysisEvidence = {
      revision: this.rollout.revision,
      evaluating,
      intervalMs: this.intervalMs,
      checks: [...this.checks.values()].map(record => {
        const check: AnalysisCheckEvidence = {
          ...record.description,
          points: record.points,
        };
        const latest = record.points[record.points.length - 1];
        if (latest) {
          check.latest = latest;
        }
        if (record.fault) {
          check.fault = record.fault;
        }
        return check;
      }),
    };
    if (this.rolloutId !== undefined) {
      evidence.rolloutId = this.rolloutId;
    }
    if (this.lastEvaluatedAtMs !== undefined) {
      evidence.lastEvaluatedAt = new Date(this.lastEvaluatedAtMs).toISOString();
    }
    return evidence;
  }
}
