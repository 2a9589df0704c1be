import {
  AnalysisCheckEvidence,
  AnalysisPoint,
  FAILING_FAULT_KINDS,
  isFailingPoint,
  RolloutFailure,
  RolloutRecord,
} from '@progressive-delivery/plugin-progressive-delivery-common';

// Which points fail a check in Flagger's eyes is the common package's rule (the Delivery tab
// reads the current canary the same way); the history applies it to stored points.
export { FAILING_FAULT_KINDS, isFailingPoint };

/**
 * Kubernetes event times (which a rollout's end comes from) have second precision, so a check
 * evaluated in the second Flagger failed the rollout still counts as "at or before the end".
 */
const END_PRECISION_MS = 1000;

/** Points before this time (epoch ms) may explain the rollout's failure; none: all points. */
export function failureWindowEnd(
  rollout: Pick<RolloutRecord, 'endedAt'>,
): number | undefined {
  return rollout.endedAt === undefined
    ? undefined
    : Date.parse(rollout.endedAt) + END_PRECISION_MS;
}

type FailureInput = Pick<
  RolloutRecord,
  'outcome' | 'endedAt' | 'failedChecks' | 'failureReason' | 'rolledBackBy'
>;

/**
 * Whether the rollout failed on its checks: Flagger's rollback names the failed checks
 * threshold; without that event (lost before it was recorded), failed checks were counted.
 * A manual rollback or a progress deadline is not a check's failure.
 */
export function failedOnChecks(rollout: FailureInput): boolean {
  if (rollout.outcome !== 'failed' || rollout.rolledBackBy !== undefined) {
    return false;
  }
  if (rollout.failureReason !== undefined) {
    return /failed checks threshold reached/.test(rollout.failureReason);
  }
  return rollout.failedChecks > 0;
}

/**
 * The check that failed a rollout, as measured: the last failing point (see
 * {@link isFailingPoint}) at or before the rollout's end, over all checks; at the same time the
 * check listed first, as Flagger runs the checks in spec order and stops at the first failure.
 * `checks` are in spec order. Undefined when the rollout did not fail on its checks or no
 * failing point was stored.
 */
export function rolloutFailure(
  rollout: FailureInput,
  checks: AnalysisCheckEvidence[],
): RolloutFailure | undefined {
  if (!failedOnChecks(rollout)) {
    return undefined;
  }
  const end = failureWindowEnd(rollout) ?? Infinity;
  let found:
    | { check: AnalysisCheckEvidence; point: AnalysisPoint; at: number }
    | undefined;
  for (const check of checks) {
    for (const point of check.points) {
      const at = Date.parse(point.at);
      if (isFailingPoint(point) && at < end && (!found || at > found.at)) {
        found = { check, point, at };
      }
    }
  }
  if (!found) {
    return undefined;
  }
  const { check, point } = found;
  const failure: RolloutFailure = {
    metric: check.metric,
    range: check.range,
    at: point.at,
  };
  const optional: Partial<RolloutFailure> = {
    unit: check.unit,
    value: point.canary,
    primary: point.primary,
    canaryWeight: point.canaryWeight,
    fault: point.fault,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) {
      (failure as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return failure;
}
