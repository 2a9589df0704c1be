import {
  brokenBound,
  formatComparison,
  formatMeasure,
  formatNumber,
  formatRange,
  verdictOf,
} from './measure';

describe('measure', () => {
  it.each([
    [97.1, '97.1'],
    [99.94321, '99.94'],
    [100, '100'],
    [2181, '2181'],
    [0.005, '0.01'],
    [-0.001, '0'],
    [NaN, 'NaN'],
  ])('writes %p as %p', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it('writes values with their unit, or bare without one', () => {
    expect(formatMeasure(99.91, 'percent')).toBe('99.91 %');
    expect(formatMeasure(2181, 'milliseconds')).toBe('2181 ms');
    expect(formatMeasure(424.25, 'milliseconds')).toBe('424.25 ms');
    expect(formatMeasure(0.4321)).toBe('0.43');
  });

  it('writes accepted ranges with their unit', () => {
    expect(formatRange({ min: 99 }, 'percent')).toBe('≥ 99 %');
    expect(formatRange({ max: 500 }, 'milliseconds')).toBe('≤ 500 ms');
    expect(formatRange({ min: 99, max: 100 }, 'percent')).toBe('99 – 100 %');
    expect(formatRange({ max: 1.5 })).toBe('≤ 1.5');
    expect(formatRange({})).toBe('—');
  });

  it('judges like Flagger: outside the range fails, on the bound passes', () => {
    expect(brokenBound(97.1, { min: 99.5 })).toEqual({ op: '<', bound: 99.5 });
    expect(brokenBound(2181, { max: 500 })).toEqual({ op: '>', bound: 500 });
    expect(brokenBound(99, { min: 99 })).toBeUndefined();
    expect(brokenBound(500, { max: 500 })).toBeUndefined();
    expect(brokenBound(5, { min: 10, max: 1 })).toEqual({ op: '<', bound: 10 });
    expect(verdictOf(98, { min: 99 })).toBe('fail');
    expect(verdictOf(99.9, { min: 99 })).toBe('pass');
    // The backend's verdict stands when given.
    expect(verdictOf(99.9, { min: 99 }, 'fail')).toBe('fail');
  });

  it('never writes a failing value like its bound', () => {
    expect(formatComparison(97.1, { op: '<', bound: 99.5 }, 'percent')).toBe(
      '97.1 % < 99.5 %',
    );
    expect(formatComparison(98.996, { op: '<', bound: 99 }, 'percent')).toBe(
      '98.996 % < 99 %',
    );
    expect(
      formatComparison(500.0004, { op: '>', bound: 500 }, 'milliseconds'),
    ).toBe('500.0004 ms > 500 ms');
  });
});
