import {
  abTestingState,
  blueGreenLastIterationState,
  blueGreenState,
  checkoutState,
  failedPromotionState,
  gatewayApiState,
  mirroringState,
  paymentsState,
  podinfoState,
  sessionAffinityState,
} from '../__fixtures__/deliveryStates';
import { describeCanary, revisionLabel } from './describeCanary';

function first(state: ReturnType<typeof podinfoState>) {
  const cluster = state.clusters[0];
  const canary = cluster.canaries[0];
  return { canary, revision: revisionLabel(canary, cluster.workloads) };
}

/** The headline of the first canary of a state, read with its routing as the tab reads it. */
function headlineOf(state: ReturnType<typeof podinfoState>) {
  const { canary, revision } = first(state);
  return describeCanary(canary.progress, revision, canary.routing).headline;
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

  it('names the A/B condition and keeps the other traffic on the primary', () => {
    const headline = headlineOf(abTestingState());
    expect(headline).toBe(
      'Rolling out revision 6f8d7c5b9a — iteration 4 of 10, requests with header x-canary = insider go to the canary (all other traffic stays on the primary), all checks passing; about 2 min to promotion',
    );
  });

  it('falls back to "matching requests" for A/B where the routing is not known (fleet rows)', () => {
    const { canary } = first(abTestingState());
    expect(describeCanary(canary.progress).headline).toContain(
      'matching requests go to the canary (all other traffic stays on the primary)',
    );
  });

  it('reads the Gateway API split and names the sticky cookie', () => {
    expect(headlineOf(gatewayApiState())).toContain(
      '20% of traffic on the canary, all checks passing',
    );
    expect(headlineOf(sessionAffinityState())).toContain(
      '10% of traffic on the canary, requests carrying cookie canary-flagger-cookie stay on the canary',
    );
  });

  it('says live traffic is mirrored, not that the canary gets none', () => {
    expect(headlineOf(mirroringState())).toContain(
      'iteration 3 of 10, live traffic mirrored to the canary (100% of requests copied), the live split stays on the primary',
    );
  });

  it('clamps blue/green past its last iteration to N of N with all traffic on the canary', () => {
    expect(headlineOf(blueGreenLastIterationState())).toContain(
      'iteration 5 of 5, all traffic on the canary',
    );
  });

  it('never says the primary serves all traffic when a failed promotion left it on the canary', () => {
    const { canary, revision } = first(failedPromotionState());
    const text = describeCanary(canary.progress, revision, canary.routing);
    expect(text).toEqual({
      headline:
        'Promotion of revision 6b8d9f7c5f failed — the canary serves all traffic; the primary is not ready',
      tone: 'error',
    });
  });
});
