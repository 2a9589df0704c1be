import { loadFixture } from '../__testUtils__/fixtures';
import { KubeEvent } from '../kubernetes';
import {
  categorizeCanaryEvent,
  currentRolloutEvents,
  deriveCanaryEvents,
  isFlaggerEventFor,
} from './canaryEvents';

const events = (
  loadFixture('flagger-canary-events.yaml') as { items?: KubeEvent[] }
).items!;

describe('deriveCanaryEvents', () => {
  it('orders Flagger events newest first and classifies them', () => {
    const derived = deriveCanaryEvents(events);
    expect(derived).toHaveLength(events.length);
    expect(derived[0]).toEqual({
      type: 'Warning',
      reason: 'Synced',
      message: 'Rolling back podinfo.test manual webhook invoked',
      category: 'rollback',
      timestamp: '2026-08-10T09:17:00Z',
      count: 1,
    });
    expect(derived[derived.length - 1].category).toBe('initialized');
  });

  it.each([
    ['New revision detected! Scaling up podinfo.test', 'newRevision'],
    ['Advance podinfo.test canary weight 20', 'advance'],
    ['Advance podinfo.test canary iteration 2/10', 'advance'],
    ['Halt podinfo.test advancement success rate 69.17% < 99%', 'halt'],
    [
      'Halt podinfo.test advancement waiting for promotion approval promotion-gate',
      'gateWaiting',
    ],
    ['Confirm-rollout check ask-for-confirmation passed', 'gatePassed'],
    ['Copying podinfo.test template spec to podinfo-primary.test', 'promotion'],
    ['Promotion completed! Scaling down podinfo.test', 'promoted'],
    [
      'Rolling back podinfo.test failed checks threshold reached 15',
      'rollback',
    ],
    ['Canary failed! Scaling down podinfo.test', 'failed'],
    [
      'podinfo-primary.test not ready: waiting for rollout to finish',
      'notReady',
    ],
    ['Pre-rollout check acceptance-test passed', 'other'],
  ])('classifies "%s" as %s', (message, category) => {
    expect(categorizeCanaryEvent(message)).toBe(category);
  });

  it('keeps the current rollout: everything since the newest new revision', () => {
    const current = currentRolloutEvents(deriveCanaryEvents(events));
    expect(current).toHaveLength(16);
    expect(current[current.length - 1]).toMatchObject({
      category: 'newRevision',
      timestamp: '2026-08-10T09:13:15Z',
    });
  });

  it('drops events without a timestamp or message', () => {
    const broken: KubeEvent[] = [
      { involvedObject: { kind: 'Canary', name: 'podinfo' }, message: 'x' },
      {
        involvedObject: { kind: 'Canary', name: 'podinfo' },
        lastTimestamp: '2026-01-01T00:00:00Z',
      },
    ];
    expect(deriveCanaryEvents(broken)).toEqual([]);
  });

  it('matches events to their canary', () => {
    expect(
      isFlaggerEventFor(events[0], { namespace: 'test', name: 'podinfo' }),
    ).toBe(true);
    expect(
      isFlaggerEventFor(events[0], { namespace: 'other', name: 'podinfo' }),
    ).toBe(false);
  });
});
