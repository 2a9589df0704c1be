import {
  approvedRollout,
  failedRollout,
  podinfoRollouts,
  podinfoSummary,
  progressingRollout,
} from '../__fixtures__/rollouts';
import { paymentsState, podinfoState } from '../__fixtures__/deliveryStates';
import {
  actedBy,
  historyBehindLive,
  historyRefreshKey,
  personName,
  rolloutDuration,
  summaryFigures,
} from './history';

const NOW = new Date('2026-11-22T10:00:00Z');

describe('summaryFigures', () => {
  it('reads rollouts, success rate, rollbacks and median time to promote', () => {
    expect(summaryFigures(podinfoSummary())).toEqual([
      { label: 'Rollouts', value: '3', detail: '1 in progress' },
      {
        label: 'Success rate',
        value: '50%',
        detail: '1 of 2 ended promoted',
      },
      { label: 'Rollbacks', value: '1', detail: 'all by Flagger’s analysis' },
      {
        label: 'Median time to promote',
        value: '9 min',
        detail: 'over 1 promoted rollout',
      },
    ]);
  });

  it('shows dashes, not zeros, for rates of a window where nothing ended', () => {
    const figures = summaryFigures({
      ...podinfoSummary(),
      days: 7,
      rollouts: 0,
      succeeded: 0,
      failed: 0,
      progressing: 0,
      successRate: undefined,
      rollbacks: 0,
      medianTimeToPromoteMs: undefined,
    });
    expect(figures.map(f => `${f.label}: ${f.value} (${f.detail})`)).toEqual([
      'Rollouts: 0 (in the last 7 days)',
      'Success rate: — (no rollout ended yet)',
      'Rollbacks: 0 (none)',
      'Median time to promote: — (over 0 promoted rollouts)',
    ]);
  });

  it('counts rollbacks a person started', () => {
    const figures = summaryFigures({
      ...podinfoSummary(),
      rollbacks: 3,
      manualRollbacks: 2,
      superseded: 1,
    });
    expect(figures[0].detail).toBe('1 in progress, 1 superseded');
    expect(figures[2]).toEqual({
      label: 'Rollbacks',
      value: '3',
      detail: '2 started by a person',
    });
  });
});

describe('rolloutDuration', () => {
  it('uses the recorded duration of an ended rollout', () => {
    expect(rolloutDuration(approvedRollout(), NOW)).toBe('9 min');
    expect(rolloutDuration(failedRollout(), NOW)).toBe('4 min');
  });

  it('counts a rollout in progress up to now', () => {
    expect(rolloutDuration(progressingRollout(), NOW)).toBe('running 5 min');
    expect(rolloutDuration({ startedAt: 'yesterday' }, NOW)).toBe('—');
  });
});

describe('who acted', () => {
  it('names users by their name, others by their full reference', () => {
    expect(personName('user:default/jane.doe')).toBe('jane.doe');
    expect(personName('user:platform/sam')).toBe('platform/sam');
    expect(personName('group:default/team-a')).toBe('group:default/team-a');
    expect(personName('not a ref:')).toBe('not a ref:');
  });

  it('says who approved, rolled back or halted a rollout', () => {
    expect(actedBy(approvedRollout())).toBe('approved by jane.doe');
    expect(actedBy(failedRollout())).toBeUndefined();
    expect(
      actedBy({
        ...failedRollout(),
        approvedBy: 'user:default/jane.doe',
        rolledBackBy: 'user:default/sam',
      }),
    ).toBe('approved by jane.doe, rolled back by sam');
    expect(
      actedBy({ ...progressingRollout(), rolledBackBy: 'user:default/sam' }),
    ).toBe('halted by sam');
  });
});

describe('historyRefreshKey', () => {
  it('changes when a canary’s phase or revision changes, not with its traffic', () => {
    const at10 = historyRefreshKey(podinfoState({ canaryWeight: 10 }));
    expect(at10).toBe('prod-eu-1/tenant-a/podinfo=7c9d8f6b5:Progressing');
    expect(historyRefreshKey(podinfoState({ canaryWeight: 15 }))).toBe(at10);
    expect(
      historyRefreshKey(podinfoState({ waitingPromotion: true })),
    ).not.toBe(at10);
    expect(historyRefreshKey(paymentsState())).toBe(
      'dev-eu-1/tenant-b/payments=8e7f6a5b4:Failed',
    );
    expect(historyRefreshKey(undefined)).toBe('');
  });
});

describe('historyBehindLive', () => {
  const live = podinfoState({ canaryWeight: 10 });

  it('is behind while a rollout under way is not recorded yet', () => {
    expect(historyBehindLive([approvedRollout()], live)).toBe(true);
    expect(historyBehindLive(podinfoRollouts(), live)).toBe(false);
  });

  it('is behind while an ended rollout is still recorded as in progress', () => {
    const payments = paymentsState();
    const recorded = {
      ...progressingRollout(),
      cluster: 'dev-eu-1',
      namespace: 'tenant-b',
      canary: 'payments',
      revision: '8e7f6a5b4',
    };
    expect(historyBehindLive([recorded], payments)).toBe(true);
    expect(
      historyBehindLive([{ ...recorded, outcome: 'failed' }], payments),
    ).toBe(false);
    // A canary that ended before any recording is no reason to ask again.
    expect(historyBehindLive([], payments)).toBe(false);
    expect(historyBehindLive([], undefined)).toBe(false);
  });
});
