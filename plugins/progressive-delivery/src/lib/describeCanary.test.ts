import {
  blueGreenState,
  checkoutState,
  paymentsState,
  podinfoState,
} from '../__fixtures__/deliveryStates';
import { describeCanary, revisionLabel } from './describeCanary';

function first(state: ReturnType<typeof podinfoState>) {
  const cluster = state.clusters[0];
  const canary = cluster.canaries[0];
  return { canary, revision: revisionLabel(canary, cluster.workloads) };
}

describe('describeCanary', () => {
  it('says where a progressing rollout is and how long it has left', () => {
    const { canary, revision } = first(podinfoState({ canaryWeight: 10 }));
    expect(revision).toBe('podinfo:6.7.1');
    expect(describeCanary(canary.progress, revision)).toEqual({
      headline:
        'Rolling out revision podinfo:6.7.1 — 10% of traffic on the canary, all checks passing; about 5 min to promotion',
      tone: 'progress',
      waitingFor: 'the next analysis run (every 1 min)',
    });
  });

  it('names the gate a halted rollout waits for', () => {
    const { canary, revision } = first(
      podinfoState({ waitingPromotion: true }),
    );
    const text = describeCanary(canary.progress, revision);
    expect(text.headline).toBe(
      'Waiting for approval to promote revision podinfo:6.7.1 — 20% of traffic on the canary, all checks passing',
    );
    expect(text.tone).toBe('waiting');
    expect(text.waitingFor).toBe(
      'the gate "promotion-gate" (confirm-promotion) to be opened',
    );
  });

  it('counts failed checks against the threshold', () => {
    const { canary } = first(checkoutState());
    const text = describeCanary(canary.progress, undefined);
    expect(text.headline).toBe(
      'Rolling out the new revision — 30% of traffic on the canary, 1 failed check (rollback at 2); about 3 min to promotion',
    );
    expect(text.tone).toBe('warning');
  });

  it('reports a rolled-back revision as an error, by its spec hash without a workload', () => {
    const { canary, revision } = first(paymentsState());
    expect(revision).toBe('8e7f6a5b4');
    expect(describeCanary(canary.progress, revision)).toEqual({
      headline:
        'Revision 8e7f6a5b4 failed analysis and was rolled back — the primary serves all traffic',
      tone: 'error',
    });
  });

  it('speaks of iterations for blue/green', () => {
    const { canary } = first(blueGreenState());
    expect(describeCanary(canary.progress, 'frontend:2.0.0').headline).toBe(
      'Rolling out revision frontend:2.0.0 — iteration 3 of 10, tested without user traffic, all checks passing; about 6 min to promotion',
    );
  });

  it('flags a suspended canary', () => {
    const { canary } = first(podinfoState());
    const progress = { ...canary.progress, suspended: true };
    expect(describeCanary(progress).tone).toBe('warning');
  });
});
