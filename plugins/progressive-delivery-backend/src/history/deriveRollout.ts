import {
  CanaryEvent,
  deriveCanaryEvents,
  KubeEvent,
  KubeObject,
  RolloutOutcome,
} from '@internal/plugin-progressive-delivery-common';

/** Phases in which Flagger works on a revision. */
const ACTIVE_PHASES = [
  'Progressing',
  'Waiting',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
];

/** What one look at a canary tells about its current rollout. */
export interface RolloutObservation {
  cluster: string;
  namespace: string;
  canary: string;
  revision: string;
  previousRevision?: string;
  startedAt: number;
  endedAt?: number;
  outcome: Exclude<RolloutOutcome, 'superseded'>;
  maxWeight: number;
  failedChecks: number;
  failureReason?: string;
  /**
   * Whether the start is known from Flagger's "New revision detected!" event. A finished rollout
   * seen for the first time is only recorded with that evidence.
   */
  startFromEvent: boolean;
}

const num = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;
const str = (value: unknown) =>
  typeof value === 'string' && value ? value : undefined;

/**
 * The events of the newest rollout, oldest first: from the newest "New revision detected!"
 * (or "Starting canary analysis" when that is gone) on.
 */
export function rolloutWindow(events: CanaryEvent[]): {
  start?: CanaryEvent;
  events: CanaryEvent[];
} {
  // deriveCanaryEvents sorts newest first.
  const index = events.findIndex(e => e.category === 'newRevision');
  const fallback =
    index === -1 ? events.findIndex(e => e.category === 'started') : index;
  if (fallback === -1) {
    return { events: [] };
  }
  return {
    start: events[fallback],
    events: events.slice(0, fallback + 1).reverse(),
  };
}

const WEIGHT = /canary weight (\d+)/;
const THRESHOLD = /failed checks threshold reached (\d+)/;

/**
 * Why a rollout failed, from Flagger's events: the rollback message, with the last failed
 * check before it (e.g. "request-success-rate 88.50 < 99").
 */
export function failureReason(events: CanaryEvent[]): string | undefined {
  const newestFirst = [...events].reverse();
  const rollback = newestFirst.find(
    e => e.category === 'rollback' && e.message.startsWith('Rolling back'),
  );
  const failed = newestFirst.find(e => e.category === 'failed');
  const headline = rollback?.message ?? failed?.message;
  if (!headline) {
    return undefined;
  }
  const lastCheck = newestFirst.find(
    e =>
      e.type === 'Warning' &&
      e.category === 'halt' &&
      /advancement /.test(e.message),
  );
  return lastCheck && !/manual webhook/.test(headline)
    ? `${headline} (last failed check: ${lastCheck.message})`
    : headline;
}

/**
 * Reads a canary's current rollout from its status and Flagger's events: the revision
 * (`status.lastAppliedSpec`), when it started, whether it still runs, succeeded or failed, the
 * highest weight reached and why it failed. Undefined when no rollout is to be recorded (a new
 * canary initialising, or one that never rolled out).
 */
export function deriveRollout(
  cluster: string,
  canary: KubeObject,
  kubeEvents: KubeEvent[],
): RolloutObservation | undefined {
  const status = (canary.status ?? {}) as Record<string, unknown>;
  const phase = str(status.phase) ?? '';
  const revision = str(status.lastAppliedSpec);
  if (!revision) {
    return undefined;
  }
  let outcome: RolloutObservation['outcome'];
  if (ACTIVE_PHASES.includes(phase)) {
    outcome = 'progressing';
  } else if (phase === 'Succeeded') {
    outcome = 'succeeded';
  } else if (phase === 'Failed') {
    outcome = 'failed';
  } else {
    return undefined;
  }
  let { start, events } = rolloutWindow(deriveCanaryEvents(kubeEvents));
  const transition = Date.parse(str(status.lastTransitionTime) ?? '');
  // Kubernetes folds a repeated message into one event (count and lastTimestamp move on), so a
  // new revision's "New revision detected!" may still show the previous rollout's time: a
  // rollout in progress whose window holds a finished rollout has not got its events yet.
  if (
    outcome === 'progressing' &&
    events.some(e => e.category === 'promoted' || e.category === 'failed')
  ) {
    start = undefined;
    events = [];
  }
  // Events travel on their own watch: a new revision's first event can arrive while the status
  // still shows the previous rollout's end. Those events are not that rollout's.
  if (
    outcome !== 'progressing' &&
    start &&
    Number.isFinite(transition) &&
    Date.parse(start.timestamp) > transition
  ) {
    return undefined;
  }
  const startedAt = start ? Date.parse(start.timestamp) : transition;
  if (!Number.isFinite(startedAt)) {
    return undefined;
  }
  let maxWeight = num(status.canaryWeight);
  let failedChecks = num(status.failedChecks);
  for (const event of events) {
    const weight = WEIGHT.exec(event.message);
    if (weight && event.category === 'advance') {
      maxWeight = Math.max(maxWeight, Number(weight[1]));
    }
    const threshold = THRESHOLD.exec(event.message);
    if (threshold) {
      failedChecks = Math.max(failedChecks, Number(threshold[1]));
    }
  }
  const observation: RolloutObservation = {
    cluster,
    namespace: canary.metadata?.namespace ?? '',
    canary: canary.metadata?.name ?? '',
    revision,
    startedAt,
    outcome,
    maxWeight,
    failedChecks,
    startFromEvent: start !== undefined,
  };
  const promoted = str(status.lastPromotedSpec);
  if (outcome !== 'succeeded' && promoted && promoted !== revision) {
    observation.previousRevision = promoted;
  }
  if (outcome !== 'progressing') {
    // Flagger's closing event dates the end; the phase's transition time is the fallback.
    const closing = [...events]
      .reverse()
      .find(e => e.category === (outcome === 'failed' ? 'failed' : 'promoted'));
    const closedAt = closing ? Date.parse(closing.timestamp) : transition;
    if (Number.isFinite(closedAt)) {
      observation.endedAt = closedAt;
    }
  }
  if (outcome === 'failed') {
    observation.failureReason = failureReason(events);
  }
  return observation;
}
