// Rollouts as the backend's recorder stores them: Flagger's events (messages as Flagger v1.44
// and the cluster simulator write them) run through the same event derivation, oldest first.
import {
  deriveCanaryEvents,
  RolloutEvent,
  RolloutRecord,
  RolloutSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { flaggerEvents } from './kubeObjects';

function rolloutEvents(
  namespace: string,
  name: string,
  entries: Array<[time: string, message: string, type?: 'Warning']>,
): RolloutEvent[] {
  return deriveCanaryEvents(flaggerEvents(namespace, name, entries)).reverse();
}

/** podinfo in prod-eu-1, approved at the promotion gate by a person and promoted. */
export function approvedRollout(): RolloutRecord {
  const c = 'podinfo.tenant-a';
  return {
    id: '41',
    cluster: 'prod-eu-1',
    namespace: 'tenant-a',
    canary: 'podinfo',
    entityRef: 'component:default/podinfo',
    revision: '5f4d7c8b9',
    previousRevision: '2b3c4d5e6',
    startedAt: '2026-11-22T08:00:00.000Z',
    endedAt: '2026-11-22T08:09:00.000Z',
    durationMs: 9 * 60_000,
    outcome: 'succeeded',
    maxWeight: 20,
    failedChecks: 0,
    approvedBy: 'user:default/jane.doe',
    approvedAt: '2026-11-22T08:05:30.000Z',
    events: rolloutEvents('tenant-a', 'podinfo', [
      ['2026-11-22T08:00:00Z', `New revision detected! Scaling up ${c}`],
      ['2026-11-22T08:01:00Z', `Starting canary analysis for ${c}`],
      ['2026-11-22T08:02:00Z', `Advance ${c} canary weight 5`],
      ['2026-11-22T08:03:00Z', `Advance ${c} canary weight 10`],
      ['2026-11-22T08:04:00Z', `Advance ${c} canary weight 15`],
      ['2026-11-22T08:05:00Z', `Advance ${c} canary weight 20`],
      [
        '2026-11-22T08:06:00Z',
        `Halt ${c} advancement waiting for promotion approval promotion-gate`,
        'Warning',
      ],
      ['2026-11-22T08:07:00Z', 'Confirm-promotion check promotion-gate passed'],
      [
        '2026-11-22T08:07:00Z',
        `Copying ${c} template spec to podinfo-primary.tenant-a`,
      ],
      ['2026-11-22T08:08:00Z', 'Routing all traffic to primary'],
      ['2026-11-22T08:09:00Z', `Promotion completed! Scaling down ${c}`],
    ]),
  };
}

/** podinfo in dev-eu-1, whose success rate stayed under 95 %: rolled back by the analysis. */
export function failedRollout(): RolloutRecord {
  const c = 'podinfo.tenant-b';
  const reason = `Rolling back ${c} failed checks threshold reached 5`;
  const lastCheck = `Halt ${c} advancement success rate 80.12% < 95%`;
  return {
    id: '40',
    cluster: 'dev-eu-1',
    namespace: 'tenant-b',
    canary: 'podinfo',
    entityRef: 'component:default/podinfo',
    revision: '9a8b7c6d5',
    previousRevision: '4e5f6a7b8',
    startedAt: '2026-11-21T16:00:00.000Z',
    endedAt: '2026-11-21T16:03:30.000Z',
    durationMs: 210_000,
    outcome: 'failed',
    maxWeight: 10,
    failedChecks: 5,
    failureReason: `${reason} (last failed check: ${lastCheck})`,
    events: rolloutEvents('tenant-b', 'podinfo', [
      ['2026-11-21T16:00:00Z', `New revision detected! Scaling up ${c}`],
      ['2026-11-21T16:00:30Z', `Starting canary analysis for ${c}`],
      ['2026-11-21T16:01:00Z', `Advance ${c} canary weight 10`],
      ['2026-11-21T16:01:30Z', lastCheck, 'Warning'],
      ['2026-11-21T16:03:30Z', reason, 'Warning'],
      ['2026-11-21T16:03:30Z', `Canary failed! Scaling down ${c}`, 'Warning'],
    ]),
  };
}

/** podinfo in prod-eu-1, under analysis at 10 % (the live fixture's `podinfoState()`). */
export function progressingRollout(): RolloutRecord {
  const c = 'podinfo.tenant-a';
  return {
    id: '42',
    cluster: 'prod-eu-1',
    namespace: 'tenant-a',
    canary: 'podinfo',
    entityRef: 'component:default/podinfo',
    revision: '7c9d8f6b5',
    previousRevision: '5f4d7c8b9',
    startedAt: '2026-11-22T09:55:00.000Z',
    outcome: 'progressing',
    maxWeight: 10,
    failedChecks: 0,
    events: rolloutEvents('tenant-a', 'podinfo', [
      ['2026-11-22T09:55:00Z', `New revision detected! Scaling up ${c}`],
      ['2026-11-22T09:56:00Z', `Starting canary analysis for ${c}`],
      ['2026-11-22T09:57:00Z', `Advance ${c} canary weight 5`],
      ['2026-11-22T09:58:00Z', `Advance ${c} canary weight 10`],
    ]),
  };
}

/** podinfo's history, newest first. */
export function podinfoRollouts(): RolloutRecord[] {
  return [progressingRollout(), approvedRollout(), failedRollout()];
}

/** The summary of `podinfoRollouts()` over 30 days. */
export function podinfoSummary(): RolloutSummary {
  return {
    entityRef: 'component:default/podinfo',
    days: 30,
    from: '2026-10-23T10:00:00.000Z',
    to: '2026-11-22T10:00:00.000Z',
    rollouts: 3,
    succeeded: 1,
    failed: 1,
    progressing: 1,
    superseded: 0,
    successRate: 0.5,
    rollbacks: 1,
    manualRollbacks: 0,
    medianTimeToPromoteMs: 9 * 60_000,
  };
}
