import { CanaryAnalysisEvidence } from '@internal/plugin-progressive-delivery-common';
import {
  paymentsEvidence,
  paymentsFailure,
  podinfoEvidence,
} from '../__fixtures__/analysis';
import { paymentsState, podinfoState } from '../__fixtures__/deliveryStates';
import { describeFailure, failureFromEvidence } from './describeFailure';

const AT = '2026-11-22T09:58:30Z';
const failedProgress = () => paymentsState().clusters[0].canaries[0].progress;

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
    expect(describeFailure(paymentsFailure())).toBe(
      'rolled back at 10 %: request-success-rate 84.7 % < 99 %',
    );
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

describe('failureFromEvidence', () => {
  it('reads the failed canary’s newest failed evaluation, the first check at the same moment', () => {
    // At 09:58:30 both checks fail; Flagger halts at the first, request-success-rate.
    expect(failureFromEvidence(failedProgress(), paymentsEvidence())).toEqual(
      paymentsFailure(),
    );
  });

  it('takes a later failure of another check', () => {
    const evidence = paymentsEvidence();
    evidence.checks[1].points.push({
      at: '2026-11-22T09:59:00Z',
      canary: 2400,
      primary: 430,
      canaryWeight: 10,
      verdict: 'fail',
    });
    expect(
      describeFailure(failureFromEvidence(failedProgress(), evidence)!),
    ).toBe('rolled back at 10 %: latency 2400 ms > 500 ms');
  });

  it('counts "no values" as Flagger does, but not the backend’s own access faults', () => {
    const evidence: CanaryAnalysisEvidence = {
      ...paymentsEvidence(),
      checks: [
        {
          metric: 'request-success-rate',
          unit: 'percent',
          range: { min: 99 },
          points: [
            {
              at: '2026-11-22T09:58:00Z',
              canaryWeight: 10,
              fault: { kind: 'no-values', message: 'no values found' },
            },
            {
              at: '2026-11-22T09:58:30Z',
              canaryWeight: 10,
              fault: { kind: 'unreachable', message: 'connect ECONNREFUSED' },
            },
          ],
        },
      ],
    };
    expect(failureFromEvidence(failedProgress(), evidence)).toEqual({
      metric: 'request-success-rate',
      unit: 'percent',
      range: { min: 99 },
      at: '2026-11-22T09:58:00Z',
      canaryWeight: 10,
      fault: { kind: 'no-values', message: 'no values found' },
    });
    evidence.checks[0].points.shift();
    expect(failureFromEvidence(failedProgress(), evidence)).toBeUndefined();
  });

  it('says nothing for a canary that has not failed, or points of another revision', () => {
    const podinfo = podinfoState().clusters[0].canaries[0].progress;
    expect(failureFromEvidence(podinfo, podinfoEvidence())).toBeUndefined();
    expect(failureFromEvidence(failedProgress(), undefined)).toBeUndefined();
    expect(
      failureFromEvidence(failedProgress(), {
        ...paymentsEvidence(),
        revision: '0000000000',
      }),
    ).toBeUndefined();
  });
});
