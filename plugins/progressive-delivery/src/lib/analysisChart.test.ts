import { podinfoEvidence, paymentsEvidence } from '../__fixtures__/analysis';
import {
  chartRows,
  evidenceFor,
  failedRows,
  niceStep,
  timeDomain,
  valueAxis,
  valueDomain,
} from './analysisChart';

describe('analysis chart data', () => {
  it('turns points into rows by time, judging values the backend left unjudged', () => {
    const check = {
      metric: 'request-success-rate',
      unit: 'percent' as const,
      range: { min: 99 },
      points: [
        { at: '2026-11-22T09:58:00Z', canary: 98.2, primary: 99.9 },
        {
          at: '2026-11-22T09:57:00Z',
          canary: 99.9,
          primary: 99.9,
          canaryWeight: 5,
          verdict: 'pass' as const,
        },
        { at: 'not a time', canary: 1 },
        {
          at: '2026-11-22T09:59:00Z',
          canaryWeight: 10,
          fault: { kind: 'no-values' as const, message: 'no values found' },
          primaryFault: { kind: 'no-values' as const, message: 'none either' },
        },
      ],
    };
    const rows = chartRows(check);
    expect(rows).toEqual([
      {
        t: Date.parse('2026-11-22T09:57:00Z'),
        at: '2026-11-22T09:57:00Z',
        canary: 99.9,
        primary: 99.9,
        canaryWeight: 5,
        verdict: 'pass',
      },
      {
        t: Date.parse('2026-11-22T09:58:00Z'),
        at: '2026-11-22T09:58:00Z',
        canary: 98.2,
        primary: 99.9,
        verdict: 'fail',
      },
      {
        t: Date.parse('2026-11-22T09:59:00Z'),
        at: '2026-11-22T09:59:00Z',
        canaryWeight: 10,
        fault: 'no values found',
        primaryFault: 'none either',
      },
    ]);
    expect(failedRows(rows).map(r => r.canary)).toEqual([98.2]);
  });

  it('keeps the bound in view even when every value is far from it', () => {
    const podinfo = podinfoEvidence().checks[0];
    const [low, high] = valueDomain(
      chartRows(podinfo),
      podinfo.range,
      'percent',
    );
    expect(low).toBeLessThan(99);
    expect(low).toBeGreaterThan(98);
    expect(high).toBe(100);

    const latency = paymentsEvidence().checks[1];
    const [lowMs, highMs] = valueDomain(
      chartRows(latency),
      latency.range,
      'milliseconds',
    );
    expect(lowMs).toBeGreaterThanOrEqual(0);
    expect(lowMs).toBeLessThan(418);
    expect(highMs).toBeGreaterThan(2181);
  });

  it('gives empty or flat data an axis to draw on', () => {
    const [low, high] = valueDomain([], { min: 99 }, 'percent');
    expect(low).toBeLessThan(99);
    expect(high).toBeGreaterThan(99);
    expect(valueDomain([], {}, 'percent')).toEqual([0, 100]);
    const t = Date.parse('2026-11-22T09:57:00Z');
    expect(timeDomain([{ t, at: '' }])).toEqual([t - 30_000, t + 30_000]);
    expect(
      timeDomain([
        { t, at: '' },
        { t: t + 60_000, at: '' },
      ]),
    ).toEqual([t, t + 60_000]);
  });

  it('finds a check’s evidence by its metric name', () => {
    const { checks } = podinfoEvidence();
    expect(evidenceFor({ name: 'latency' }, checks)?.unit).toBe('milliseconds');
    expect(evidenceFor({ name: 'error-rate' }, checks)).toBeUndefined();
    expect(evidenceFor({ name: 'latency' }, undefined)).toBeUndefined();
  });
});

describe('value axis', () => {
  it('rounds to steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.3, 1, 1.6, 2.2, 4, 7, 440].map(niceStep)).toEqual([
      0.5, 1, 2, 2.5, 5, 10, 500,
    ]);
  });

  it('puts ticks on round numbers, with the bound in view and within 0–100 %', () => {
    const podinfo = podinfoEvidence().checks[0];
    expect(valueAxis(chartRows(podinfo), podinfo.range, 'percent')).toEqual({
      domain: [98.5, 100],
      ticks: [98.5, 99, 99.5, 100],
    });
    const payments = paymentsEvidence().checks[0];
    expect(valueAxis(chartRows(payments), payments.range, 'percent')).toEqual({
      domain: [80, 100],
      ticks: [80, 85, 90, 95, 100],
    });
    const latency = paymentsEvidence().checks[1];
    expect(
      valueAxis(chartRows(latency), latency.range, 'milliseconds'),
    ).toEqual({ domain: [0, 3000], ticks: [0, 1000, 2000, 3000] });
  });
});
