import {
  CanaryEvent,
  CanaryGateType,
  deriveCanaryEvents,
  deriveCanaryProgress,
  KubeEvent,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { deriveRollout, rolloutWindow } from '../history/deriveRollout';
import { TransitionKey } from './NotificationLedger';

/** What owners are told about: a gate waiting, a failed or a succeeded rollout. */
export type TransitionKind = 'gate-waiting' | 'failed' | 'succeeded';

/** A rollout transition to notify owners of, with what the message needs. */
export interface RolloutTransition extends TransitionKey {
  kind: TransitionKind;
  /** When it happened (epoch ms), from the status or the gate's event; absent when unknown. */
  at?: number;
  /** The gate Flagger waits on (`gate-waiting`). */
  gate?: { name: string; type: Exclude<CanaryGateType, 'rollback'> };
  /**
   * `status.canaryWeight`: the step a traffic-increase gate halts at (Flagger zeroes it once the
   * analysis passes and when the rollout ends).
   */
  canaryWeight: number;
  /**
   * Flagger's reason of a failure: the rollback event with the last failed check, or the
   * failed promotion's event.
   */
  failureReason?: string;
  /**
   * Flagger failed the promotion (the primary did not become ready) and left the traffic on
   * the canary instead of rolling back (scheduler.go handleFailedPromotion).
   */
  promotionFailed?: boolean;
  /** When a finished rollout ended (epoch ms). */
  endedAt?: number;
  failedChecks: number;
  /** Flagger's `status.phase`. */
  phase: string;
}

const str = (value: unknown) =>
  typeof value === 'string' && value ? value : undefined;

const time = (value: string | undefined) => {
  const ms = value === undefined ? NaN : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
};

/**
 * When Flagger last halted at a traffic-increase gate: the newest "waiting for traffic increase
 * approval <gate>" event (events newest first).
 */
function trafficGateSince(
  gate: string,
  events: CanaryEvent[],
): number | undefined {
  const waiting = events.find(
    e =>
      e.category === 'gateWaiting' &&
      e.message.endsWith(` ${gate}`) &&
      /traffic increase approval/.test(e.message),
  );
  return time(waiting?.timestamp);
}

/**
 * Flagger's "Promotion of <target>.<namespace> failed, primary not ready: ..." event of the
 * current rollout, when the rollout failed in its promotion.
 */
function failedPromotion(kubeEvents: KubeEvent[]): string | undefined {
  const { events } = rolloutWindow(deriveCanaryEvents(kubeEvents));
  return [...events]
    .reverse()
    .find(e => /^Promotion of .* failed/.test(e.message))?.message;
}

type GateTransition = Pick<RolloutTransition, 'gate' | 'transition' | 'at'>;

/**
 * The gates Flagger waits on now. A traffic-increase gate halts once per step, so each weight
 * it halts at is a transition of its own; the rollout and promotion gates halt once per
 * revision.
 */
function waitingGates(
  canary: KubeObject,
  events: CanaryEvent[],
  weight: number,
  lastTransition: number | undefined,
): GateTransition[] {
  const progress = deriveCanaryProgress(canary, { events });
  const result: GateTransition[] = [];
  for (const gate of progress.gates) {
    if (!gate.waiting || gate.type === 'rollback') {
      continue;
    }
    const perStep = gate.type === 'confirm-traffic-increase';
    result.push({
      gate: { name: gate.name, type: gate.type },
      transition: `gate-waiting:${gate.name}${perStep ? `@${weight}` : ''}`,
      at: perStep
        ? trafficGateSince(gate.name, events) ?? lastTransition
        : lastTransition,
    });
  }
  return result;
}

/**
 * The transitions a canary's current state stands for: each gate Flagger waits on, or the end
 * of its rollout (failed, succeeded). The same state gives the same transitions, with the same
 * ledger keys, on every replica and after a restart. None for a canary without a recorded
 * rollout (initialising, never rolled out) or whose events belong to a newer rollout than its
 * status shows. Only the canary's own status and events are read: router objects and events
 * travel on watches of their own and may lag behind the status.
 */
export function detectTransitions(
  cluster: string,
  canary: KubeObject,
  kubeEvents: KubeEvent[],
): RolloutTransition[] {
  const rollout = deriveRollout(cluster, canary, kubeEvents);
  if (!rollout) {
    return [];
  }
  const status = (canary.status ?? {}) as Record<string, unknown>;
  const phase = str(status.phase) ?? '';
  const statusWeight =
    typeof status.canaryWeight === 'number' ? status.canaryWeight : 0;
  const base = {
    cluster,
    namespace: rollout.namespace,
    canary: rollout.canary,
    revision: rollout.revision,
    canaryWeight: statusWeight,
    failedChecks: rollout.failedChecks,
    phase,
  };
  const lastTransition = time(str(status.lastTransitionTime));
  if (rollout.outcome === 'progressing') {
    const events = deriveCanaryEvents(kubeEvents);
    return waitingGates(canary, events, statusWeight, lastTransition).map(
      gate => ({ ...base, ...gate, kind: 'gate-waiting' }),
    );
  }
  const ended: RolloutTransition = {
    ...base,
    kind: rollout.outcome,
    transition: rollout.outcome,
    at: rollout.endedAt ?? lastTransition,
  };
  if (rollout.endedAt !== undefined) {
    ended.endedAt = rollout.endedAt;
  }
  const promotion = failedPromotion(kubeEvents);
  const reason = rollout.failureReason ?? promotion;
  if (rollout.outcome === 'failed' && reason !== undefined) {
    ended.failureReason = reason;
  }
  if (rollout.outcome === 'failed' && promotion !== undefined) {
    ended.promotionFailed = true;
  }
  return [ended];
}
