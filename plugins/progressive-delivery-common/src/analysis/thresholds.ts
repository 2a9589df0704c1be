// How Flagger judges a metric value (pkg/controller/scheduler_metrics.go, fluxcd/flagger
// v1.44.0): with `thresholdRange`, a value below `min` or above `max` fails; without it, the
// deprecated `threshold` (0 when absent) is a minimum for request-success-rate and a maximum
// for everything else. request-duration compares whole milliseconds (time.Duration).

import { asNumber, asRecord, UnknownRecord } from '../derivations/read';

/**
 * The values a check accepts, as Flagger compares them.
 *
 * @public
 */
export interface AnalysisThresholdRange {
  min?: number;
  max?: number;
}

/**
 * Whether a value passes a check.
 *
 * @public
 */
export type AnalysisVerdict = 'pass' | 'fail';

/**
 * Judges a value the way Flagger does: `value < min` fails, `value > max` fails, anything else
 * passes (a bound equal to the value passes). NaN fails: Flagger reads it as "no values found"
 * and halts the advancement, which counts as a failed check.
 *
 * @public
 */
export function judge(
  value: number,
  range: AnalysisThresholdRange,
): AnalysisVerdict {
  if (Number.isNaN(value)) {
    return 'fail';
  }
  if (range.min !== undefined && value < range.min) {
    return 'fail';
  }
  if (range.max !== undefined && value > range.max) {
    return 'fail';
  }
  return 'pass';
}

/** Go's conversion of a float64 to time.Duration: truncation toward zero. */
function wholeMs(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.trunc(value);
}

/**
 * A check's accepted range as Flagger compares it, and where it comes from.
 */
export function readAnalysisRange(
  metric: UnknownRecord,
  name: string,
): {
  range: AnalysisThresholdRange;
  rangeFrom: 'thresholdRange' | 'threshold';
} {
  const duration = name === 'request-duration';
  const thresholdRange = asRecord(metric.thresholdRange);
  if (thresholdRange) {
    const range: AnalysisThresholdRange = {};
    const min = asNumber(thresholdRange.min);
    const max = asNumber(thresholdRange.max);
    if (min !== undefined) range.min = duration ? wholeMs(min) : min;
    if (max !== undefined) range.max = duration ? wholeMs(max) : max;
    return { range, rangeFrom: 'thresholdRange' };
  }
  const threshold = asNumber(metric.threshold) ?? 0;
  if (name === 'request-success-rate') {
    return { range: { min: threshold }, rangeFrom: 'threshold' };
  }
  const max = duration ? wholeMs(threshold) : threshold;
  return { range: { max }, rangeFrom: 'threshold' };
}
