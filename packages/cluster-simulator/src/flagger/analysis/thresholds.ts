/** A metric's accepted range (thresholdRange). */
export interface ThresholdRange {
  min?: number;
  max?: number;
}

/** The violated bound of a thresholdRange, as `< min` or `> max`. */
export function violation(
  value: number,
  range: ThresholdRange | undefined,
): { op: '<' | '>'; bound: number } | undefined {
  if (range?.min !== undefined && value < range.min)
    return { op: '<', bound: range.min };
  if (range?.max !== undefined && value > range.max)
    return { op: '>', bound: range.max };
  return undefined;
}
