import { AnalysisCheckEvidence } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  failedOnChecks,
  isFailingPoint,
  rolloutFailure,
} from './rolloutFailure';

const at = (second: number) =>
  new Date(Date.UTC(2026, 7, 10, 9, 0, second)).toISOString();

const THRESHOLD_REASON =
  'Rolling back podinfo.test failed checks threshold reached 2 (last failed check: Halt podinfo.test advancement success rate 97.10% < 99%)';

const failed = {
  outcome: 'failed' as const,
  endedAt: at(50),
  failedChecks: 2,
  failureReason: THRESHOLD_REASON,
};

function successRate(
  points: AnalysisCheckEvidence['points'],
): AnalysisCheckEvidence {
  return {
    metric: 'request-success-rate',
    unit: 'percent',
    range: { min: 99 },
    points,
  };
}

function duration(
  points: AnalysisCheckEvidence['points'],
): AnalysisCheckEvidence {
  return {
    metric: 'request-duration',
    unit: 'milliseconds',
    range: { max: 500 },
    points,
  };
}

describe('isFailingPoint', () => {
  it('counts a fail verdict and the faults that fail Flagger too, not our access problems', () => {
    expect(isFailingPoint({ at: at(0), verdict: 'fail', canary: 90 })).toBe(
      true,
    );
    expect(isFailingPoint({ at: at(0), verdict: 'pass', canary: 100 })).toBe(
      false,
    );
    const fault = (kind: any) => ({ at: at(0), fault: { kind, message: 'x' } });
    expect(isFailingPoint(fault('no-values'))).toBe(true);
    expect(isFailingPoint(fault('query'))).toBe(true);
    for (const kind of [
      'unreachable',
      'forbidden',
      'unsupported',
      'not-rendered',
    ]) {
      expect(isFailingPoint(fault(kind))).toBe(false);
    }
    // The primary's fault is not the canary's check failing.
    expect(
      isFailingPoint({
        at: at(0),
        canary: 100,
        verdict: 'pass',
        primaryFault: { kind: 'no-values', message: 'no primary traffic' },
      }),
    ).toBe(false);
  });
});

describe('failedOnChecks', () => {
  it('is the failed checks threshold, not a manual rollback or a deadline', () => {
    expect(failedOnChecks(failed)).toBe(true);
    expect(failedOnChecks({ ...failed, outcome: 'succeeded' })).toBe(false);
    expect(
      failedOnChecks({
        ...failed,
        failureReason: 'Rolling back podinfo.test manual webhook invoked',
      }),
    ).toBe(false);
    expect(
      failedOnChecks({
        ...failed,
        failureReason:
          'Rolling back podinfo.test progress deadline exceeded canary deployment podinfo.test not ready',
      }),
    ).toBe(false);
    expect(
      failedOnChecks({ ...failed, rolledBackBy: 'user:default/alice' }),
    ).toBe(false);
    // Events lost before they were recorded: the counted failed checks decide.
    expect(failedOnChecks({ ...failed, failureReason: undefined })).toBe(true);
    expect(
      failedOnChecks({ ...failed, failureReason: undefined, failedChecks: 0 }),
    ).toBe(false);
  });
});

describe('rolloutFailure', () => {
  it('is the last failing point at or before the end, with its values, range and weight', () => {
    const checks = [
      successRate([
        {
          at: at(10),
          canary: 99.8,
          primary: 99.9,
          verdict: 'pass',
          canaryWeight: 10,
        },
        {
          at: at(20),
          canary: 98.2,
          primary: 99.9,
          verdict: 'fail',
          canaryWeight: 20,
        },
        {
          at: at(30),
          canary: 97.1,
          primary: 99.8,
          verdict: 'fail',
          canaryWeight: 20,
        },
        // After the rollback: not what failed the rollout.
        {
          at: at(55),
          canary: 50,
          primary: 99.8,
          verdict: 'fail',
          canaryWeight: 0,
        },
      ]),
      duration([
        {
          at: at(30),
          canary: 120,
          primary: 110,
          verdict: 'pass',
          canaryWeight: 20,
        },
      ]),
    ];
    expect(rolloutFailure(failed, checks)).toEqual({
      metric: 'request-success-rate',
      unit: 'percent',
      value: 97.1,
      primary: 99.8,
      range: { min: 99 },
      canaryWeight: 20,
      at: at(30),
    });
  });

  it('takes a failing fault as measured, without a value', () => {
    const fault = {
      kind: 'no-values' as const,
      message: 'request-duration: no values for podinfo-canary',
    };
    const failure = rolloutFailure(failed, [
      successRate([{ at: at(20), canary: 98, verdict: 'fail' }]),
      duration([{ at: at(40), fault, canaryWeight: 30 }]),
    ]);
    expect(failure).toEqual({
      metric: 'request-duration',
      unit: 'milliseconds',
      range: { max: 500 },
      canaryWeight: 30,
      at: at(40),
      fault,
    });
  });

  it('at the same time names the check Flagger runs first (spec order)', () => {
    const failure = rolloutFailure(failed, [
      successRate([{ at: at(30), canary: 97, verdict: 'fail' }]),
      duration([{ at: at(30), canary: 900, verdict: 'fail' }]),
    ]);
    expect(failure?.metric).toBe('request-success-rate');
  });

  it('counts a point in the second of the end (event times have second precision)', () => {
    const failure = rolloutFailure({ ...failed, endedAt: at(30) }, [
      successRate([
        {
          at: new Date(Date.parse(at(30)) + 400).toISOString(),
          canary: 97,
          verdict: 'fail',
        },
        {
          at: new Date(Date.parse(at(31)) + 1).toISOString(),
          canary: 10,
          verdict: 'fail',
        },
      ]),
    ]);
    expect(failure?.value).toBe(97);
  });

  it('is undefined without a failing point, or when the rollout did not fail on its checks', () => {
    const passing = [
      successRate([{ at: at(10), canary: 100, verdict: 'pass' }]),
    ];
    expect(rolloutFailure(failed, passing)).toBeUndefined();
    expect(rolloutFailure(failed, [])).toBeUndefined();
    const failing = [
      successRate([{ at: at(10), canary: 90, verdict: 'fail' }]),
    ];
    expect(
      rolloutFailure({ ...failed, outcome: 'superseded' }, failing),
    ).toBeUndefined();
    expect(
      rolloutFailure(
        {
          ...failed,
          failureReason: 'Rolling back podinfo.test manual webhook invoked',
        },
        failing,
      ),
    ).toBeUndefined();
  });
});
