// Measured values of analysis checks in words: `99.94 %`, `2181 ms`, `≥ 99 %`, and whether a
// value is inside a check's accepted range the way Flagger judges it.
import { AnalysisCheckEvidence } from '@internal/plugin-progressive-delivery-common';

/** The unit of a check's values; absent for MetricTemplates whose unit the backend cannot tell. */
export type MeasureUnit = AnalysisCheckEvidence['unit'];

/** A check's accepted values, as in `thresholdRange`. */
export type MeasureRange = AnalysisCheckEvidence['range'];

/** Decimals tried, fewest first, when a value must not read like its bound. */
const MAX_DECIMALS = 6;

/** A number with at most `decimals` decimals and no trailing zeros: `97.1`, `100`, `2181`. */
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

/** A measured value with its unit: `99.94 %`, `2181 ms`, or the bare number without a unit. */
export function formatMeasure(
  value: number,
  unit?: MeasureUnit,
  decimals = 2,
): string {
  return `${formatNumber(value, decimals)}${unit ? UNIT_SUFFIX[unit] : ''}`;
}

/** An accepted range with its unit: `≥ 99 %`, `≤ 500 ms`, `99 – 100 %`, or `—` when open. */
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

/** The bound a value breaks: `<` its minimum or `>` its maximum. */
export interface BrokenBound {
  op: '<' | '>';
  bound: number;
}

/**
 * Which bound of the range a value breaks, if any. Flagger's analysis checks the minimum first
 * (`val < *tr.Min`), then the maximum (`val > *tr.Max`), both strictly: a value on the bound
 * passes (fluxcd/flagger v1.44.0, pkg/controller/scheduler_metrics.go, runMetricChecks).
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
 */
export function verdictOf(
  value: number,
  range: MeasureRange,
  verdict?: 'pass' | 'fail',
): 'pass' | 'fail' {
  return verdict ?? (brokenBound(value, range) ? 'fail' : 'pass');
}
