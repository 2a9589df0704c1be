// The check that failed a rollout, in one line: "rolled back at 20 %: request-success-rate
// 97.1 % < 99.5 %" (issue 14).
import {
  AnalysisCheckEvidence,
  AnalysisFault,
  AnalysisPoint,
  CanaryAnalysisEvidence,
  CanaryProgress,
  RolloutFailure,
} from '@internal/plugin-progressive-delivery-common';
import {
  brokenBound,
  formatComparison,
  formatMeasure,
  formatRange,
  formatNumber,
} from './measure';

/** A fault's message after the check's name, without saying the name twice. */
function faultText(metric: string, message: string): string {
  const prefix = `${metric}: `;
  const rest = message.startsWith(prefix)
    ? message.slice(prefix.length)
    : message;
  return `${metric}: ${rest}`;
}

/** What the failing check measured, against the bound it broke. */
function measuredText(failure: RolloutFailure): string {
  const { metric, value, unit, range, fault } = failure;
  if (fault) {
    return faultText(metric, fault.message);
  }
  if (value === undefined) {
    return `${metric} failed (no value recorded)`;
  }
  const broken = brokenBound(value, range);
  if (!broken) {
    // Recorded as failing although inside the range (e.g. a range changed since): say both.
    return `${metric} ${formatMeasure(value, unit)} (accepted ${formatRange(
      range,
      unit,
    )})`;
  }
  return `${metric} ${formatComparison(value, broken, unit)}`;
}

/**
 * The headline of a failed rollout: where it stopped and the check and value that failed it.
 * "rolled back at 20 %: request-success-rate 97.1 % < 99.5 %",
 * "rolled back at 10 %: request-duration 2181 ms > 500 ms",
 * "rolled back at 5 %: request-success-rate: no values found ...".
 */
export function describeFailure(failure: RolloutFailure): string {
  const where =
    failure.canaryWeight === undefined
      ? 'rolled back'
      : `rolled back at ${formatNumber(failure.canaryWeight)} %`;
  return `${where}: ${measuredText(failure)}`;
}

/**
 * Faults that fail a check for Flagger too: the same query against the same Prometheus finds no
 * values ("Halt advancement no values found for ... metric") or is rejected ("Prometheus query
 * failed"), fluxcd/flagger v1.44.0 pkg/controller/scheduler_metrics.go. The other kinds
 * (unreachable, forbidden, unsupported, not-rendered) are the backend's own access problems: they
 * say nothing of what Flagger measured. The backend reads failures the same way.
 */
const FAILING_FAULTS: ReadonlyArray<AnalysisFault['kind']> = [
  'no-values',
  'query',
];

/** Whether a point is a failed check in Flagger's eyes: a value outside the range, or no value. */
function flaggerFailed(point: AnalysisPoint): boolean {
  return (
    point.verdict === 'fail' ||
    (point.fault !== undefined && FAILING_FAULTS.includes(point.fault.kind))
  );
}

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
        flaggerFailed(point) &&
        (!newest || Date.parse(point.at) > Date.parse(newest.point.at))
      ) {
        newest = { check, point };
      }
    }
  }
  return newest ? toFailure(newest.check, newest.point) : undefined;
}
