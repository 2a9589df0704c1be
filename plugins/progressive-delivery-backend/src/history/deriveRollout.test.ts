import { loadEvents, loadFixture } from '../__testUtils__/fixtures';
import { deriveRollout, failureReason, rolloutWindow } from './deriveRollout';
import { deriveCanaryEvents } from '@progressive-delivery/plugin-progressive-delivery-common';

const at = (iso: string) => Date.parse(iso);

describe('deriveRollout', () => {
  it('records a full rollout: start from its event, end at promotion, highest weight', () => {
    const canary = loadFixture('flagger-canary-succeeded.yaml');
    const rollout = deriveRollout(
      'prod',
      canary,
      loadEvents('podinfo.success'),
    );
    expect(rollout).toEqual({
      cluster: 'prod',
      namespace: 'test',
      canary: 'podinfo',
      revision: '5c8d4f7b9d',
      outcome: 'succeeded',
      startedAt: at('2026-08-10T09:10:30Z'),
      endedAt: at('2026-08-10T09:13:00Z'),
      maxWeight: 30,
      failedChecks: 0,
      startFromEvent: true,
    });
  });

  it('records a failed rollout with the revision it replaced and why it failed', () => {
    const canary = loadFixture('flagger-canary-failed.yaml');
    // Both rollouts' events: only the newest one's count.
    const rollout = deriveRollout('prod', canary, [
      ...loadEvents('podinfo.success'),
      ...loadEvents('podinfo.failure'),
    ]);
    expect(rollout).toMatchObject({
      revision: '5c8d4f7b9d',
      previousRevision: '6b9f8c7d5',
      outcome: 'failed',
      startedAt: at('2026-08-10T09:13:15Z'),
      endedAt: at('2026-08-10T09:15:00Z'),
      maxWeight: 10,
      failedChecks: 15,
      failureReason:
        'Rolling back podinfo.test failed checks threshold reached 15 (last failed check: Halt advancement no values found for istio metric request-success-rate probably podinfo.test is not receiving traffic: running query failed: no values found)',
    });
  });

  it('takes the routed weight when the router routes more than status.canaryWeight says', () => {
    const canary = loadFixture('flagger-canary-progressing.yaml');
    const status = canary.status as { canaryWeight: number };
    const fromStatus = deriveRollout('prod', canary, [])!.maxWeight;
    expect(fromStatus).toBe(status.canaryWeight);
    expect(deriveRollout('prod', canary, [], 100)?.maxWeight).toBe(100);
    // A lower routed weight (the router moved back) never lowers what the status shows.
    expect(deriveRollout('prod', canary, [], 0)?.maxWeight).toBe(fromStatus);
  });

  it('records a rollout in progress without events from its status alone', () => {
    const canary = loadFixture('flagger-canary-progressing.yaml');
    const status = canary.status as Record<string, any>;
    const rollout = deriveRollout('prod', canary, []);
    expect(rollout).toMatchObject({
      outcome: 'progressing',
      revision: status.lastAppliedSpec,
      previousRevision: status.lastPromotedSpec,
      startedAt: at(status.lastTransitionTime),
      maxWeight: status.canaryWeight,
      failedChecks: status.failedChecks,
      startFromEvent: false,
    });
    expect(rollout?.endedAt).toBeUndefined();
  });

  it('records nothing for a canary that has not rolled out', () => {
    const canary = loadFixture('flagger-canary-succeeded.yaml');
    (canary.status as Record<string, unknown>).phase = 'Initialized';
    expect(deriveRollout('prod', canary, [])).toBeUndefined();
    delete (canary.status as Record<string, unknown>).lastAppliedSpec;
    (canary.status as Record<string, unknown>).phase = 'Progressing';
    expect(deriveRollout('prod', canary, [])).toBeUndefined();
  });

  it("waits for the status when a newer revision's events arrive first", () => {
    const canary = loadFixture('flagger-canary-succeeded.yaml');
    (canary.status as Record<string, unknown>).lastTransitionTime =
      '2026-08-10T09:13:10Z';
    // The second rollout's "New revision detected!" (09:13:15) is already here.
    const events = [
      ...loadEvents('podinfo.success'),
      ...loadEvents('podinfo.failure00'),
    ];
    expect(deriveRollout('prod', canary, events)).toBeUndefined();
  });

  it("does not take the previous rollout's events for a new one", () => {
    const canary = loadFixture('flagger-canary-progressing.yaml');
    const status = canary.status as Record<string, any>;
    // The new revision's first event has not arrived: the newest window is a finished rollout.
    const rollout = deriveRollout(
      'prod',
      canary,
      loadEvents('podinfo.success'),
    );
    expect(rollout).toMatchObject({
      outcome: 'progressing',
      startedAt: Date.parse(status.lastTransitionTime),
      maxWeight: status.canaryWeight,
      startFromEvent: false,
    });
  });
});

describe('failureReason', () => {
  it('names a manual rollback without a metric', () => {
    const events = deriveCanaryEvents(loadEvents('podinfo.failure')).filter(
      e => !e.message.startsWith('Rolling back'),
    );
    events.unshift({
      ...events[0],
      message: 'Rolling back podinfo.test manual webhook invoked',
      category: 'rollback',
    });
    expect(failureReason(rolloutWindow(events).events)).toBe(
      'Rolling back podinfo.test manual webhook invoked',
    );
  });

  it('falls back to the failure event and is empty without one', () => {
    const events = deriveCanaryEvents(loadEvents('podinfo.failure')).filter(
      e => e.category !== 'rollback',
    );
    expect(failureReason(rolloutWindow(events).events)).toMatch(
      /^Canary failed! Scaling down podinfo.test \(last failed check: Halt advancement no values/,
    );
    expect(
      failureReason(
        rolloutWindow(deriveCanaryEvents(loadEvents('podinfo.success'))).events,
      ),
    ).toBeUndefined();
  });
});
