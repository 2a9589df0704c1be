import {
  brokenBound,
  formatComparison,
  formatMeasure,
  formatNumber,
  formatRange,
  verdictOf,
  describeFailure,
  isFailingPoint,
} from './describeMeasure';

const AT = '2026-11-22T09:58:30Z';

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

describe('describeFailure', () => {
  it('names the check and the value under its minimum, and the step', () => {
    expect(
      describeFailure({
        metric: 'request-success-rate',
        unit: 'percent',
        value: 97.1,
        primary: 99.9,
        range: { min: 99.5 },
        canaryWeight: 20,
        at: AT,
      }),
    ).toBe('rolled back at 20 %: request-success-rate 97.1 % < 99.5 %');
  });

  it('names the value over a maximum', () => {
    expect(
      describeFailure({
        metric: 'request-duration',
        unit: 'milliseconds',
        value: 2181,
        primary: 424,
        range: { max: 500 },
        canaryWeight: 10,
        at: AT,
      }),
    ).toBe('rolled back at 10 %: request-duration 2181 ms > 500 ms');
  });

  it('gives a fault’s message instead of a value, naming the check once', () => {
    const fault = {
      kind: 'no-values' as const,
      message:
        'no values found (the query returned no sample) from service proxy http://prometheus.istio-system:9090',
    };
    const failure = {
      metric: 'request-success-rate',
      unit: 'percent' as const,
      range: { min: 99 },
      canaryWeight: 5,
      at: AT,
      fault,
    };
    expect(describeFailure(failure)).toBe(
      'rolled back at 5 %: request-success-rate: no values found (the query returned no sample) from service proxy http://prometheus.istio-system:9090',
    );
    expect(
      describeFailure({
        ...failure,
        fault: { ...fault, message: 'request-success-rate: no values found' },
      }),
    ).toBe('rolled back at 5 %: request-success-rate: no values found');
  });

  it('says less when the weight or the value was not recorded', () => {
    expect(
      describeFailure({
        metric: 'error-rate',
        value: 1.234,
        range: { max: 1 },
        at: AT,
      }),
    ).toBe('rolled back: error-rate 1.23 > 1');
    expect(
      describeFailure({ metric: 'error-rate', range: { max: 1 }, at: AT }),
    ).toBe('rolled back: error-rate failed (no value recorded)');
    // Recorded as failed but inside the range (the range changed since): both are shown.
    expect(
      describeFailure({
        metric: 'request-success-rate',
        unit: 'percent',
        value: 99.2,
        range: { min: 99 },
        canaryWeight: 10,
        at: AT,
      }),
    ).toBe(
      'rolled back at 10 %: request-success-rate 99.2 % (accepted ≥ 99 %)',
    );
  });
});

describe('isFailingPoint', () => {
  it('counts a fail verdict and the faults that fail Flagger’s check too', () => {
    expect(isFailingPoint({ at: AT, verdict: 'fail', canary: 90 })).toBe(true);
    expect(isFailingPoint({ at: AT, verdict: 'pass', canary: 100 })).toBe(
      false,
    );
    for (const kind of ['no-values', 'query'] as const) {
      expect(isFailingPoint({ at: AT, fault: { kind, message: 'm' } })).toBe(
        true,
      );
    }
    for (const kind of ['unreachable', 'forbidden', 'unsupported'] as const) {
      expect(isFailingPoint({ at: AT, fault: { kind, message: 'm' } })).toBe(
        false,
      );
    }
  });
});
