// The check that failed the current canary, read from its measured points (issue 14). The
// words come from the common package's describeFailure, which the notifications use too.
import {
  AnalysisCheckEvidence,
  AnalysisPoint,
  CanaryAnalysisEvidence,
  CanaryProgress,
  isFailingPoint,
  RolloutFailure,
} from '@progressive-delivery/plugin-progressive-delivery-common';

export { describeFailure } from '@progressive-delivery/plugin-progressive-delivery-common';

function toFailure(
  check: AnalysisCheckEvidence,
  point: AnalysisPoint,
): RolloutFailure {
  return {
    metric: check.metric,
    unit: check.unit,
    range: check.range,
    at: point.at,
    ...(point.canary !== undefined && { value: point.canary }),
    ...(point.primary !== undefined && { primary: point.primary }),
    ...(point.canaryWeight !== undefined && {
      canaryWeight: point.canaryWeight,
    }),
    ...(point.fault && { fault: point.fault }),
  };
}

/**
 * The check that failed the current canary, read from its measured points: the newest failed
 * evaluation. Flagger runs the checks in their order and halts at the first that fails
 * (fluxcd/flagger v1.44.0, pkg/controller/scheduler_metrics.go, runMetricChecks), so of failures
 * at the same moment the first check is the one Flagger reported. Only for a canary in phase
 * Failed whose points belong to the revision that failed.
 */
export function failureFromEvidence(
  progress: Pick<CanaryProgress, 'phase' | 'revision'>,
  evidence?: CanaryAnalysisEvidence,
): RolloutFailure | undefined {
  if (progress.phase !== 'Failed' || !evidence) {
    return undefined;
  }
  const failedRevision = progress.revision.lastAppliedSpec;
  if (
    evidence.revision &&
    failedRevision &&
    evidence.revision !== failedRevision
  ) {
    return undefined;
  }
  let newest: { check: AnalysisCheckEvidence; point: AnalysisPoint } | null =
    null;
  for (const check of evidence.checks) {
    for (const point of check.points) {
      if (
        isFailingPoint(point) &&
        (!newest || Date.parse(point.at) > Date.parse(newest.point.at))
      ) {
        newest = { check, point };
      }
    }
  }
  return newest ? toFailure(newest.check, newest.point) : undefined;
}
