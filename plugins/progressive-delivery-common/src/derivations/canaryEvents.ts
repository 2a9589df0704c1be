import { CanaryEvent } from '../api';
import { KubeEvent } from '../kubernetes';

// Message shapes of Flagger's events (pkg/controller/*.go format strings, Flagger v1.44).
const CATEGORY_PATTERNS: Array<[CanaryEvent['category'], RegExp]> = [
  ['initialized', /^Initialization done!/],
  ['newRevision', /^New revision detected!/],
  ['started', /^Starting canary analysis/],
  [
    'gateWaiting',
    /^Halt .* waiting for (traffic increase |promotion )?approval/,
  ],
  [
    'gatePassed',
    /^Confirm-(rollout|promotion|traffic-increase) check .* passed/,
  ],
  ['halt', /^Halt /],
  ['advance', /^Advance .* (canary|primary) (weight|iteration)/],
  [
    'promotion',
    /^(Copying .* template spec|Routing all traffic to (primary|canary)|Stop traffic mirroring)/,
  ],
  ['promoted', /^Promotion completed!/],
  ['rollback', /^(Rolling back|Rollback check)/],
  ['failed', /^Canary failed!/],
  ['notReady', /not ready: /],
];

/**
 * Classifies one Flagger event message.
 *
 * @public
 */
export function categorizeCanaryEvent(
  message: string,
): CanaryEvent['category'] {
  for (const [category, pattern] of CATEGORY_PATTERNS) {
    if (pattern.test(message)) {
      return category;
    }
  }
  return 'other';
}

/**
 * The time an event last happened, in any of the fields Kubernetes may fill.
 *
 * @public
 */
export function eventTimestamp(event: KubeEvent): string | undefined {
  return (
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp ??
    undefined
  );
}

/**
 * Whether an event was emitted by Flagger for the given canary.
 *
 * @public
 */
export function isFlaggerEventFor(
  event: KubeEvent,
  canary: { namespace: string; name: string },
): boolean {
  const involved = event.involvedObject;
  return (
    involved?.kind === 'Canary' &&
    involved.name === canary.name &&
    (involved.namespace ?? event.metadata?.namespace) === canary.namespace
  );
}

/**
 * Turns Kubernetes events of one canary into the UI's timeline, newest first. Events without a
 * timestamp or message are dropped.
 *
 * @public
 */
export function deriveCanaryEvents(events: KubeEvent[]): CanaryEvent[] {
  const result: CanaryEvent[] = [];
  for (const event of events) {
    const timestamp = eventTimestamp(event);
    if (!timestamp || typeof event.message !== 'string') {
      continue;
    }
    result.push({
      type: event.type === 'Warning' ? 'Warning' : 'Normal',
      reason: typeof event.reason === 'string' ? event.reason : '',
      message: event.message,
      category: categorizeCanaryEvent(event.message),
      timestamp,
      count: typeof event.count === 'number' ? event.count : 1,
    });
  }
  return result.sort(
    (a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp),
  );
}

/**
 * The events of the current rollout: everything since the newest "New revision detected!" (or
 * "Initialization done!"), newest first. Input must already be newest first.
 *
 * @public
 */
export function currentRolloutEvents(events: CanaryEvent[]): CanaryEvent[] {
  const start = events.findIndex(
    e => e.category === 'newRevision' || e.category === 'initialized',
  );
  return start === -1 ? events : events.slice(0, start + 1);
}
