/** Summary of a sample of durations in milliseconds. */
export interface DurationSummary {
  samples: number;
  /** Samples that never showed the change within the timeout (not in the percentiles). */
  failures: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/** Nearest-rank percentile of an ascending-sorted array; null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) {
    return null;
  }
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round1 = (n: number | null) =>
  n === null ? null : Math.round(n * 10) / 10;

/** p50/p99/max of the measured samples; `undefined` entries count as failures. */
export function summarizeDurations(
  values: Array<number | undefined>,
): DurationSummary {
  const measured = values
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  return {
    samples: values.length,
    failures: values.length - measured.length,
    p50: round1(percentile(measured, 50)),
    p99: round1(percentile(measured, 99)),
    max: round1(measured.length ? measured[measured.length - 1] : null),
  };
}
