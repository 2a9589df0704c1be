import {
  CanaryEvent,
  deriveCanaryEvents,
  KubeEvent,
  KubeObject,
  ROLLOUT_PHASES,
  RolloutOutcome,
} from '@progressive-delivery/plugin-progressive-delivery-common';

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

type Outcome = RolloutObservation['outcome'];

/** What a phase says of the current rollout; undefined when there is none to record. */
function outcomeOf(phase: string): Outcome | undefined {
  if (ROLLOUT_PHASES.has(phase)) {
    return 'progressing';
  }
  if (phase === 'Succeeded') {
    return 'succeeded';
  }
  return phase === 'Failed' ? 'failed' : undefined;
}

/**
 * The current rollout's start event and events; undefined when the events that arrived belong
 * to a rollout after the one the status shows.
 */
function currentWindow(
  outcome: Outcome,
  kubeEvents: KubeEvent[],
  transition: number,
): { start?: CanaryEvent; events: CanaryEvent[] } | undefined {
  const window = rolloutWindow(deriveCanaryEvents(kubeEvents));
  // Kubernetes folds a repeated message into one event (count and lastTimestamp move on), so a
  // new revision's "New revision detected!" may still show the previous rollout's time: a
  // rollout in progress whose window holds a finished rollout has not got its events yet.
  if (
    outcome === 'progressing' &&
    window.events.some(
      e => e.category === 'promoted' || e.category === 'failed',
    )
  ) {
    return { events: [] };
  }
  // Events travel on their own watch: a new revision's first event can arrive while the status
  // still shows the previous rollout's end. Those events are not that rollout's.
  if (
    outcome !== 'progressing' &&
    window.start &&
    Number.isFinite(transition) &&
    Date.parse(window.start.timestamp) > transition
  ) {
    return undefined;
  }
  return window;
}

/**
 * The highest weight reached and failed checks counted, from the status, the weight the router
 * object routes and the events.
 */
function peaks(
  status: Record<string, unknown>,
  events: CanaryEvent[],
  routedWeight: number | undefined,
): { maxWeight: number; failedChecks: number } {
  let maxWeight = Math.max(num(status.canaryWeight), num(routedWeight));
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
  return { maxWeight, failedChecks };
}

/** When a finished rollout ended: Flagger's closing event, else the phase's transition time. */
function endOf(
  outcome: Outcome,
  events: CanaryEvent[],
  transition: number,
): number | undefined {
  const closing = [...events]
    .reverse()
    .find(e => e.category === (outcome === 'failed' ? 'failed' : 'promoted'));
  const closedAt = closing ? Date.parse(closing.timestamp) : transition;
  return Number.isFinite(closedAt) ? closedAt : undefined;
}

/**
 * Reads a canary's current rollout from its status and Flagger's events: the revision
 * (`status.lastAppliedSpec`), when it started, whether it still runs, succeeded or failed, the
 * highest weight reached and why it failed. Undefined when no rollout is to be recorded (a new
 * canary initialising, or one that never rolled out).
 *
 * `routedWeight` is the canary's share of the weighted route of its router object (VirtualService
 * or HTTPRoute, see `routedCanaryWeight`), when one is read: Flagger never writes
 * `status.canaryWeight` for blue/green, whose last iteration routes all traffic to the canary.
 */
export function deriveRollout(
  cluster: string,
  canary: KubeObject,
  kubeEvents: KubeEvent[],
  routedWeight?: number,
): RolloutObservation | undefined {
  const status = (canary.status ?? {}) as Record<string, unknown>;
  const revision = str(status.lastAppliedSpec);
  const outcome = outcomeOf(str(status.phase) ?? '');
  if (!revision || !outcome) {
    return undefined;
  }
  const transition = Date.parse(str(status.lastTransitionTime) ?? '');
  const window = currentWindow(outcome, kubeEvents, transition);
  const startedAt = window?.start
    ? Date.parse(window.start.timestamp)
    : transition;
  if (!window || !Number.isFinite(startedAt)) {
    return undefined;
  }
  const observation: RolloutObservation = {
    cluster,
    namespace: canary.metadata?.namespace ?? '',
    canary: canary.metadata?.name ?? '',
    revision,
    startedAt,
    outcome,
    ...peaks(status, window.events, routedWeight),
    startFromEvent: window.start !== undefined,
  };
  const promoted = str(status.lastPromotedSpec);
  if (outcome !== 'succeeded' && promoted && promoted !== revision) {
    observation.previousRevision = promoted;
  }
  const endedAt =
    outcome === 'progressing'
      ? undefined
      : endOf(outcome, window.events, transition);
  if (endedAt !== undefined) {
    observation.endedAt = endedAt;
  }
  if (outcome === 'failed') {
    observation.failureReason = failureReason(window.events);
  }
  return observation;
}
