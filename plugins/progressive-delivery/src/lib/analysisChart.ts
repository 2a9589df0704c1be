// What a check's chart draws: its points as rows for the chart library, the failed moments,
// the value axis that always shows the accepted range's bounds, and the time axis.
import {
  AnalysisCheckEvidence,
  AnalysisPoint,
  CanaryMetricCheck,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { verdictOf } from './measure';

/** One evaluation as the chart reads it. */
export interface ChartRow {
  /** Evaluation time, epoch milliseconds (the x axis). */
  t: number;
  at: string;
  canary?: number;
  primary?: number;
  canaryWeight?: number;
  verdict?: 'pass' | 'fail';
  /** The canary's fault, when it had no value. */
  fault?: string;
  primaryFault?: string;
}

function toRow(point: AnalysisPoint, range: AnalysisCheckEvidence['range']) {
  const row: ChartRow = { t: Date.parse(point.at), at: point.at };
  if (point.canary !== undefined) {
    row.canary = point.canary;
    row.verdict = verdictOf(point.canary, range, point.verdict);
  } else if (point.verdict) {
    row.verdict = point.verdict;
  }
  if (point.primary !== undefined) row.primary = point.primary;
  if (point.canaryWeight !== undefined) row.canaryWeight = point.canaryWeight;
  if (point.fault) row.fault = point.fault.message;
  if (point.primaryFault) row.primaryFault = point.primaryFault.message;
  return row;
}

/** The check's points as chart rows, oldest first; points with an unreadable time are left out. */
export function chartRows(check: AnalysisCheckEvidence): ChartRow[] {
  return check.points
    .map(point => toRow(point, check.range))
    .filter(row => Number.isFinite(row.t))
    .sort((a, b) => a.t - b.t);
}

/** The rows of failed evaluations that have a canary value to mark. */
export function failedRows(rows: ChartRow[]): ChartRow[] {
  return rows.filter(row => row.verdict === 'fail' && row.canary !== undefined);
}

/**
 * The value axis: every value and the range's bounds (so the threshold is always in view, even
 * when all values sit far from it), with a margin; percentages stay within 0–100 and durations
 * above 0.
 */
export function valueDomain(
  rows: ChartRow[],
  range: AnalysisCheckEvidence['range'],
  unit?: AnalysisCheckEvidence['unit'],
): [number, number] {
  const values = rows.flatMap(row =>
    [row.canary, row.primary].filter((v): v is number => v !== undefined),
  );
  for (const bound of [range.min, range.max]) {
    if (bound !== undefined) values.push(bound);
  }
  if (values.length === 0) {
    return unit === 'percent' ? [0, 100] : [0, 1];
  }
  const low = Math.min(...values);
  const high = Math.max(...values);
  const margin = Math.max((high - low) * 0.15, Math.abs(high) * 0.002, 0.01);
  let lower = low - margin;
  let upper = high + margin;
  if (unit === 'percent') {
    upper = Math.min(upper, 100);
    lower = Math.max(lower, 0);
  }
  if (unit === 'milliseconds' || (unit === undefined && low >= 0)) {
    lower = Math.max(lower, 0);
  }
  return [lower, upper];
}

/** The value axis of a chart: its domain and evenly spaced ticks. */
export interface ValueAxis {
  domain: [number, number];
  ticks: number[];
}

/** A round step near `rough`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(rough));
  const factor = rough / power;
  const nice = [1, 2, 2.5, 5].find(f => factor <= f) ?? 10;
  return nice * power;
}

/**
 * The value axis on round numbers: {@link valueDomain} widened to multiples of a round step,
 * with about four ticks (`98.75 %, 99 %, … 100 %`; `0 ms, 500 ms, … 2500 ms`).
 */
export function valueAxis(
  rows: ChartRow[],
  range: AnalysisCheckEvidence['range'],
  unit?: AnalysisCheckEvidence['unit'],
): ValueAxis {
  const [low, high] = valueDomain(rows, range, unit);
  const step = niceStep((high - low) / 4);
  // Rounded, so that float error never adds a tick or loses one.
  const round = (v: number) => Number(v.toFixed(10));
  let lower = round(Math.floor(round(low / step)) * step);
  let upper = round(Math.ceil(round(high / step)) * step);
  if (unit === 'percent') {
    lower = Math.max(lower, 0);
    upper = Math.min(upper, 100);
  }
  if (low >= 0) {
    lower = Math.max(lower, 0);
  }
  const ticks: number[] = [];
  for (let i = 0; round(lower + i * step) <= upper; i++) {
    ticks.push(round(lower + i * step));
  }
  return { domain: [lower, upper], ticks };
}

/** The time axis: the rows' span, or a minute around a single point. */
export function timeDomain(rows: ChartRow[]): [number, number] {
  if (rows.length === 0) {
    const now = Date.now();
    return [now - 60_000, now];
  }
  const first = rows[0].t;
  const last = rows[rows.length - 1].t;
  return first === last ? [first - 30_000, last + 30_000] : [first, last];
}

/** A time of day for the axis: `09:58`, or `09:58:30` when the axis spans a few minutes only. */
export function clockTime(t: number, withSeconds = false): string {
  return new Date(t).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds && { second: '2-digit' }),
  });
}

/** Whether the time axis needs seconds: it spans under ten minutes (intervals of 30 s or so). */
export function axisNeedsSeconds(domain: [number, number]): boolean {
  return domain[1] - domain[0] < 10 * 60_000;
}

/** A check's evidence, found by the metric's name; undefined when the backend has none for it. */
export function evidenceFor(
  metric: Pick<CanaryMetricCheck, 'name'>,
  checks: AnalysisCheckEvidence[] | undefined,
): AnalysisCheckEvidence | undefined {
  return checks?.find(check => check.metric === metric.name);
}
