import {
  KubeEvent,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { loadEvents, loadFixture } from '../__testUtils__/fixtures';
import { detectTransitions } from './transitions';

const at = (iso: string) => Date.parse(iso);

// Gate webhooks as Flagger's docs write them (docs/gitbook/usage/webhooks.md, "Manual gating",
// fluxcd/flagger @ v1.44.0, 15bd6ad5); the names are those of the gates events in the fixtures.
const GATES = [
  {
    name: 'ask-for-confirmation',
    type: 'confirm-rollout',
    url: 'http://flagger-loadtester.test/gate/check',
  },
  {
    name: 'traffic-gate',
    type: 'confirm-traffic-increase',
    url: 'http://flagger-loadtester.test/gate/check',
  },
  {
    name: 'promotion-gate',
    type: 'confirm-promotion',
    url: 'http://flagger-loadtester.test/gate/check',
  },
  {
    name: 'rollback',
    type: 'rollback',
    url: 'http://flagger-loadtester.test/rollback/check',
  },
];

/** The progressing fixture with the gates and the status fields given. */
function gatedCanary(status: Record<string, unknown>): KubeObject {
  const canary = loadFixture('flagger-canary-progressing.yaml');
  const spec = canary.spec as { analysis: Record<string, unknown> };
  spec.analysis.webhooks = [...(spec.analysis.webhooks as unknown[]), ...GATES];
  canary.status = { ...(canary.status as object), ...status };
  return canary;
}

/** Events of the gates scenario up to (and with) the one named. */
const gateEventsUntil = (last: string): KubeEvent[] => {
  const all = [
    ...loadEvents('podinfo.failure00'),
    ...loadEvents('podinfo.gates'),
  ];
  return all.slice(0, all.findIndex(e => e.metadata?.name === last) + 1);
};

describe('detectTransitions', () => {
  it('reports the promotion gate Flagger waits on, once per revision', () => {
    // setStatusPhase(WaitingPromotion) zeroes status.canaryWeight (pkg/canary/status.go).
    const canary = gatedCanary({
      phase: 'WaitingPromotion',
      canaryWeight: 0,
      lastTransitionTime: '2026-08-10T09:16:15Z',
    });
    const events = gateEventsUntil('podinfo.gates04');
    const transitions = detectTransitions('prod', canary, events);
    expect(transitions).toEqual([
      expect.objectContaining({
        kind: 'gate-waiting',
        cluster: 'prod',
        namespace: 'test',
        canary: 'podinfo',
        revision: '5c8d4f7b9d',
        transition: 'gate-waiting:promotion-gate',
        gate: { name: 'promotion-gate', type: 'confirm-promotion' },
        at: at('2026-08-10T09:16:15Z'),
      }),
    ]);
    // Flagger sets the phase again every interval: the same transition, the same key.
    const later = gatedCanary({
      phase: 'WaitingPromotion',
      canaryWeight: 0,
      lastTransitionTime: '2026-08-10T09:18:15Z',
    });
    expect(
      detectTransitions('prod', later, events).map(t => t.transition),
    ).toEqual(['gate-waiting:promotion-gate']);
  });

  it('reports the rollout gate while a new revision waits to start (phase Waiting)', () => {
    const canary = gatedCanary({
      phase: 'Waiting',
      canaryWeight: 0,
      lastTransitionTime: '2026-08-10T09:15:15Z',
    });
    const [transition] = detectTransitions(
      'prod',
      canary,
      gateEventsUntil('podinfo.gates00'),
    );
    expect(transition).toMatchObject({
      kind: 'gate-waiting',
      transition: 'gate-waiting:ask-for-confirmation',
      gate: { type: 'confirm-rollout' },
      at: at('2026-08-10T09:15:15Z'),
    });
  });

  it('reports each traffic step a traffic-increase gate halts, from its event', () => {
    const canary = gatedCanary({ phase: 'Progressing', canaryWeight: 20 });
    const waiting = detectTransitions(
      'prod',
      canary,
      gateEventsUntil('podinfo.gates02'),
    );
    expect(waiting).toEqual([
      expect.objectContaining({
        transition: 'gate-waiting:traffic-gate@20',
        gate: { name: 'traffic-gate', type: 'confirm-traffic-increase' },
        canaryWeight: 20,
        at: at('2026-08-10T09:15:45Z'),
      }),
    ]);
    // Once the gate passed, nothing waits.
    expect(
      detectTransitions('prod', canary, gateEventsUntil('podinfo.gates03')),
    ).toEqual([]);
  });

  it('reports nothing while a rollout progresses without a waiting gate', () => {
    const canary = loadFixture('flagger-canary-progressing.yaml');
    expect(detectTransitions('prod', canary, [])).toEqual([]);
    // A canary that never rolled out has no rollout to report on.
    const initialized = loadFixture('flagger-canary-succeeded.yaml');
    (initialized.status as Record<string, unknown>).phase = 'Initialized';
    expect(detectTransitions('prod', initialized, [])).toEqual([]);
  });

  it('reports a rolled back rollout with Flagger reason and its end', () => {
    const canary = loadFixture('flagger-canary-failed.yaml');
    const transitions = detectTransitions(
      'prod',
      canary,
      loadEvents('podinfo.failure'),
    );
    expect(transitions).toEqual([
      expect.objectContaining({
        kind: 'failed',
        transition: 'failed',
        revision: '5c8d4f7b9d',
        at: at('2026-08-10T09:15:00Z'),
        endedAt: at('2026-08-10T09:15:00Z'),
        failedChecks: 15,
        failureReason:
          'Rolling back podinfo.test failed checks threshold reached 15 (last failed check: Halt advancement no values found for istio metric request-success-rate probably podinfo.test is not receiving traffic: running query failed: no values found)',
      }),
    ]);
    expect(transitions[0].promotionFailed).toBeUndefined();
  });

  it('reports a failure without a reason while its events have not arrived', () => {
    const canary = loadFixture('flagger-canary-failed.yaml');
    const [failed] = detectTransitions('prod', canary, []);
    expect(failed).toMatchObject({
      kind: 'failed',
      at: at('2026-08-10T09:20:02Z'),
    });
    expect(failed.failureReason).toBeUndefined();
  });

  it('tells a failed promotion (traffic left on the canary) from a rollback', () => {
    const canary = loadFixture('flagger-canary-failed.yaml');
    // scheduler.go handleFailedPromotion's event, fluxcd/flagger @ v1.44.0.
    const message =
      'Promotion of podinfo.test failed, primary not ready: podinfo-primary.test not ready: waiting for rollout to finish: 0 of 1 (readyThreshold 100%) updated replicas are available';
    const events: KubeEvent[] = [
      ...loadEvents('podinfo.failure00'),
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'podinfo.promotion', namespace: 'test' },
        involvedObject: { kind: 'Canary', name: 'podinfo', namespace: 'test' },
        type: 'Warning',
        reason: 'Synced',
        message,
        lastTimestamp: '2026-08-10T09:19:45Z',
      } as KubeEvent,
    ];
    const [failed] = detectTransitions('prod', canary, events);
    expect(failed).toMatchObject({
      kind: 'failed',
      promotionFailed: true,
      failureReason: message,
    });
  });

  it('reports a promoted rollout', () => {
    const canary = loadFixture('flagger-canary-succeeded.yaml');
    expect(
      detectTransitions('prod', canary, loadEvents('podinfo.success')),
    ).toEqual([
      expect.objectContaining({
        kind: 'succeeded',
        transition: 'succeeded',
        at: at('2026-08-10T09:13:00Z'),
      }),
    ]);
  });
});
