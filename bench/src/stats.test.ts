import { percentile, summarizeDurations } from './stats';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('summarizeDurations', () => {
  it('sorts, rounds and counts changes never seen as failures', () => {
    expect(summarizeDurations([30.04, undefined, 10.01, 20.06])).toEqual({
      samples: 4,
      failures: 1,
      p50: 20.1,
      p99: 30,
      max: 30,
    });
  });

  it('has no percentiles when nothing was seen', () => {
    expect(summarizeDurations([undefined])).toEqual({
      samples: 1,
      failures: 1,
      p50: null,
      p99: null,
      max: null,
    });
  });
});
