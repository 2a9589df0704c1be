import { CanaryAnalysisEvidence } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  paymentsEvidence,
  paymentsFailure,
  podinfoEvidence,
} from '../__fixtures__/analysis';
import { paymentsState, podinfoState } from '../__fixtures__/deliveryStates';
import { describeFailure, failureFromEvidence } from './describeFailure';

const failedProgress = () => paymentsState().clusters[0].canaries[0].progress;

describe('describeFailure', () => {
  it('is the common package’s headline, on the payments fixture', () => {
    expect(describeFailure(paymentsFailure())).toBe(
      'rolled back at 10 %: request-success-rate 84.7 % < 99 %',
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
