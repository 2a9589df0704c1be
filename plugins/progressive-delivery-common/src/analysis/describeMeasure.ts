// Measured values of analysis checks in words (`99.94 %`, `2181 ms`, `≥ 99 %`), whether a value
// is inside a check's accepted range the way Flagger judges it, and the check that failed a
// rollout in one line: "rolled back at 20 %: request-success-rate 97.1 % < 99.5 %" (issue 14).
// Shared by the Delivery tab and the owners' notifications.
import type {
  AnalysisCheckEvidence,
  AnalysisFault,
  AnalysisPoint,
  RolloutFailure,
} from '../apiAnalysis';

/**
 * The unit of a check's values; absent for MetricTemplates whose unit the backend cannot tell.
 *
 * @public
 */
export type MeasureUnit = AnalysisCheckEvidence['unit'];

/**
 * A check's accepted values, as in `thresholdRange`.
 *
 * @public
 */
export type MeasureRange = AnalysisCheckEvidence['range'];

/** Decimals tried, fewest first, when a value must not read like its bound. */
const MAX_DECIMALS = 6;

/**
 * A number with at most `decimals` decimals and no trailing zeros: `97.1`, `100`, `2181`.
 *
 * @public
 */
export function formatNumber(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

const UNIT_SUFFIX: Record<NonNullable<MeasureUnit>, string> = {
  percent: ' %',
  milliseconds: ' ms',
};

/**
 * A measured value with its unit: `99.94 %`, `2181 ms`, or the bare number without a unit.
 *
 * @public
 */
export function formatMeasure(
  value: number,
  unit?: MeasureUnit,
  decimals = 2,
): string {
  return `${formatNumber(value, decimals)}${unit ? UNIT_SUFFIX[unit] : ''}`;
}

/**
 * An accepted range with its unit: `≥ 99 %`, `≤ 500 ms`, `99 – 100 %`, or `—` when open.
 *
 * @public
 */
export function formatRange(range: MeasureRange, unit?: MeasureUnit): string {
  const { min, max } = range;
  const suffix = unit ? UNIT_SUFFIX[unit] : '';
  if (min !== undefined && max !== undefined) {
    return `${formatNumber(min)} – ${formatNumber(max)}${suffix}`;
  }
  if (min !== undefined) {
    return `≥ ${formatMeasure(min, unit)}`;
  }
  return max !== undefined ? `≤ ${formatMeasure(max, unit)}` : '—';
}

/**
 * The bound a value breaks: `<` its minimum or `>` its maximum.
 *
 * @public
 */
export interface BrokenBound {
  op: '<' | '>';
  bound: number;
}

/**
 * Which bound of the range a value breaks, if any. Flagger's analysis checks the minimum first
 * (`val < *tr.Min`), then the maximum (`val > *tr.Max`), both strictly: a value on the bound
 * passes (fluxcd/flagger v1.44.0, pkg/controller/scheduler_metrics.go, runMetricChecks).
 *
 * @public
 */
export function brokenBound(
  value: number,
  range: MeasureRange,
): BrokenBound | undefined {
  if (range.min !== undefined && value < range.min) {
    return { op: '<', bound: range.min };
  }
  if (range.max !== undefined && value > range.max) {
    return { op: '>', bound: range.max };
  }
  return undefined;
}

/**
 * A value against the bound it breaks, with enough decimals that the two never read alike:
 * `97.1 % < 99.5 %`, `98.996 % < 99 %` (not `99 % < 99 %`), `2181 ms > 500 ms`.
 *
 * @public
 */
export function formatComparison(
  value: number,
  broken: BrokenBound,
  unit?: MeasureUnit,
): string {
  let decimals = 2;
  while (
    decimals < MAX_DECIMALS &&
    formatNumber(value, decimals) === formatNumber(broken.bound, decimals)
  ) {
    decimals += 1;
  }
  return `${formatMeasure(value, unit, decimals)} ${broken.op} ${formatMeasure(
    broken.bound,
    unit,
    decimals,
  )}`;
}

/**
 * Whether a canary value passes: the backend's verdict when it gave one (it judged the value
 * as Flagger does), else the value against the range.
 *
 * @public
 */
export function verdictOf(
  value: number,
  range: MeasureRange,
  verdict?: 'pass' | 'fail',
): 'pass' | 'fail' {
  return verdict ?? (brokenBound(value, range) ? 'fail' : 'pass');
}

/** A fault's message after the check's name, without saying the name twice. */
function faultText(metric: string, message: string): string {
  const prefix = `${metric}: `;
  const rest = message.startsWith(prefix)
    ? message.slice(prefix.length)
    : message;
  return `${metric}: ${rest}`;
}

/**
 * What the failing check measured, against the bound it broke: "request-success-rate 84.7 % <
 * 95 %", "request-duration 2181 ms > 500 ms", or the fault: "error-rate: no values found ...".
 *
 * @public
 */
export function describeFailedCheck(failure: RolloutFailure): string {
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
 *
 * @public
 */
export function describeFailure(failure: RolloutFailure): string {
  const where =
    failure.canaryWeight === undefined
      ? 'rolled back'
      : `rolled back at ${formatNumber(failure.canaryWeight)} %`;
  return `${where}: ${describeFailedCheck(failure)}`;
}

/**
 * Faults that fail a check for Flagger too: the same query against the same Prometheus finds no
 * values ("Halt advancement no values found for ... metric") or is rejected ("Prometheus query
 * failed"), fluxcd/flagger v1.44.0 pkg/controller/scheduler_metrics.go. The other kinds
 * (unreachable, forbidden, unsupported, not-rendered) are the backend's own access problems: they
 * say nothing of what Flagger measured.
 *
 * @public
 */
export const FAILING_FAULT_KINDS: ReadonlyArray<AnalysisFault['kind']> = [
  'no-values',
  'query',
];

/**
 * Whether a point is a failed check in Flagger's eyes: a fail verdict, or a failing fault.
 *
 * @public
 */
export function isFailingPoint(point: AnalysisPoint): boolean {
  return (
    point.verdict === 'fail' ||
    (point.fault !== undefined &&
      FAILING_FAULT_KINDS.includes(point.fault.kind))
  );
}
