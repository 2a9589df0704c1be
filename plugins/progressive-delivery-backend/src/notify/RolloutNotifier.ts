import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AnalysisCheckEvidence,
  RolloutFailure,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { randomUUID } from 'node:crypto';
import { RolloutKey, rolloutKeyString } from '../history/AnalysisRepository';
import { failureWindowEnd, rolloutFailure } from '../history/rolloutFailure';
import { CanaryKey } from '../history/rolloutQueries';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { ObjectChange } from '../watch/types';
import { notificationPayload } from './messages';
import { NotificationLedger } from './NotificationLedger';
import { NotifyConfig } from './NotifyConfig';
import { detectTransitions, RolloutTransition } from './transitions';
import { objectId } from '../watch/objectId';
import { CoalescingQueue } from '../watch/CoalescingQueue';

/** Where the failing check of a failed rollout is read: the history's AnalysisRepository. */
export interface FailingEvidenceReader {
  failingEvidence(
    rollouts: Array<RolloutKey & { before?: number }>,
  ): Promise<Map<string, AnalysisCheckEvidence[]>>;
}

/** How long the notifier waits, and for what. */
export interface NotifierTiming {
  /**
   * A transition that happened longer ago than this is not notified (default 1 h): a rollout
   * that ended while no replica ran, or before the first start, is history, not news. A gate
   * keeps being news: Flagger sets the waiting phase again every interval.
   */
  maxAgeMs: number;
  /** How long a failure without Flagger's reason waits for its events (default 15 s). */
  reasonGraceMs: number;
  /** The delay before another attempt: no owning entity yet, a failed send (default 30 s). */
  retryMs: number;
  /** Attempts per transition before giving up (default 5). */
  maxAttempts: number;
}

const DEFAULT_TIMING: NotifierTiming = {
  maxAgeMs: 60 * 60 * 1000,
  reasonGraceMs: 15_000,
  retryMs: 30_000,
  maxAttempts: 5,
};

export interface RolloutNotifierOptions {
  store: ObjectStore;
  events: EventHistory;
  ledger: NotificationLedger;
  notifications: Pick<NotificationService, 'send'>;
  /** The catalog entity owning a canary (the history's lookup), if any. */
  entityRefOf: (key: CanaryKey) => Promise<string | undefined>;
  /** The owners (groups, users) of an entity. */
  ownersOf: (entityRef: string) => Promise<string[]>;
  /** The measured points of failed checks; without it a failure names Flagger's reason. */
  evidence?: FailingEvidenceReader;
  config: NotifyConfig;
  logger: LoggerService;
  /** The current time (epoch ms): the age of transitions and the ledger's times. */
  now?: () => number;
  timing?: Partial<NotifierTiming>;
}

const canaryId = (k: CanaryKey) => objectId(k.cluster, k.namespace, k.canary);

const canaryText = (t: RolloutTransition) =>
  `canary ${t.namespace}/${t.canary} revision ${t.revision} in ${t.cluster}`;

/** What one canary's transitions came to on this replica, for its current revision. */
interface Handled {
  revision: string;
  /**
   * Transitions decided: sent here, claimed elsewhere, too old, not wanted. A few per revision:
   * an array of the exact length, made anew for each (a Set costs 200 bytes per canary, and
   * `push` reserves room for 16 more).
   */
  done: string[];
  /** Made when first needed: most canaries never fail to notify or wait for a reason. */
  attempts?: Map<string, number>;
  /** When a failure without a reason was first seen here. */
  firstSeen?: Map<string, number>;
}

/**
 * Tells a canary's owners (Backstage notifications to the owning entity's owners) when its
 * rollout waits at a gate, fails or is rolled back, and, when configured, succeeds. Follows the
 * object store and event history like the recorder; every transition is claimed in the
 * {@link NotificationLedger} before it is sent, so several replicas send it once, and a restart
 * does not send it again. Work runs one canary at a time; changes arriving meanwhile coalesce.
 */
export class RolloutNotifier {
  private readonly queue = new CoalescingQueue<CanaryKey>({
    work: async key => {
      if (!this.stopped) {
        await this.process(key);
      }
    },
    failed: (key, error) => {
      this.options.logger.warn(
        `could not notify the owners of canary ${key.namespace}/${key.canary} in ${key.cluster}: ${error}`,
      );
      this.retryLater(key);
    },
  });
  private readonly handled = new Map<string, Handled>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribes: Array<() => void> = [];
  private readonly timing: NotifierTiming;
  private stopped = false;

  constructor(private readonly options: RolloutNotifierOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
  }

  start(): void {
    if (!this.options.config.enabled) {
      return;
    }
    this.stopped = false;
    const onChange = (change: ObjectChange) => {
      if (change.kind === 'Canary' || change.kind === 'Event') {
        this.enqueue({
          cluster: change.cluster,
          namespace: change.namespace,
          canary: change.name,
        });
      }
    };
    this.unsubscribes.push(
      this.options.store.subscribe(onChange),
      this.options.events.subscribe(onChange),
    );
  }

  stop(): void {
    this.stopped = true;
    this.queue.clear();
    this.unsubscribes.splice(0).forEach(u => u());
    this.retries.forEach(timer => clearTimeout(timer));
    this.retries.clear();
  }

  /**
   * Deletes ledger rows claimed before `cutoff` (the history's retention), but never those of
   * transitions young enough to be notified: they would be sent again.
   */
  async pruneLedger(cutoff: number): Promise<number> {
    return this.options.ledger.deleteOlderThan(
      Math.min(cutoff, this.now() - 2 * this.timing.maxAgeMs),
    );
  }

  /** Resolves once the work queued so far is done (for tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Looks at a canary again (coalesced with changes already waiting). */
  enqueue(key: CanaryKey): void {
    if (!this.stopped) {
      this.queue.add(canaryId(key), key);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async process(key: CanaryKey): Promise<void> {
    const { store, events } = this.options;
    const id = canaryId(key);
    const canary = store.get(key.cluster, 'Canary', key.namespace, key.canary);
    if (!canary) {
      this.handled.delete(id);
      return;
    }
    const transitions = detectTransitions(
      key.cluster,
      canary,
      events.eventsFor(key.cluster, key.namespace, key.canary),
    );
    for (const transition of transitions) {
      await this.consider(transition);
    }
  }

  /** This replica's record of the canary's current revision (a new revision starts afresh). */
  private handledOf(t: RolloutTransition): Handled {
    const id = canaryId(t);
    let handled = this.handled.get(id);
    if (!handled || handled.revision !== t.revision) {
      handled = {
        revision: t.revision,
        done: [],
      };
      this.handled.set(id, handled);
    }
    return handled;
  }

  private async consider(t: RolloutTransition): Promise<void> {
    const handled = this.handledOf(t);
    if (handled.done.includes(t.transition)) {
      return;
    }
    const now = this.now();
    if (
      (t.kind === 'succeeded' && !this.options.config.onSuccess) ||
      (t.at !== undefined && now - t.at > this.timing.maxAgeMs)
    ) {
      handled.done = handled.done.concat(t.transition);
      return;
    }
    if (t.kind === 'failed' && t.failureReason === undefined) {
      // Flagger's events travel on their own watch: give them a moment to explain the failure.
      handled.firstSeen ??= new Map();
      const first = handled.firstSeen.get(t.transition) ?? now;
      handled.firstSeen.set(t.transition, first);
      const wait = first + this.timing.reasonGraceMs - now;
      if (wait > 0) {
        this.retryLater(t, wait);
        return;
      }
    }
    let settled: boolean;
    try {
      settled = await this.deliver(t);
    } catch (error) {
      // The catalog, the database: try again later.
      settled = this.attemptFailed(t, String(error));
    }
    if (settled) {
      handled.done = handled.done.concat(t.transition);
    }
  }

  /**
   * Claims and sends the transition's notification. True when it is settled (sent here, held by
   * another replica or an earlier run, nobody to tell, given up); false when it is to be tried
   * again.
   */
  private async deliver(t: RolloutTransition): Promise<boolean> {
    const { ledger, logger } = this.options;
    if (await ledger.has(t)) {
      return true;
    }
    const entityRef = await this.options.entityRefOf(t);
    if (!entityRef) {
      // The catalog may still be ingesting: the owning entity can appear.
      return this.attemptFailed(t, 'no catalog entity owns the canary');
    }
    const owners = await this.options.ownersOf(entityRef);
    if (owners.length === 0) {
      logger.info(
        `${canaryText(t)}: ${entityRef} has no owner to notify of ${
          t.transition
        }`,
      );
      return true;
    }
    const payload = notificationPayload(t, {
      entityRef,
      appBaseUrl: this.options.config.appBaseUrl,
      failure: t.kind === 'failed' ? await this.failureOf(t) : undefined,
    });
    const token = randomUUID();
    if (!(await ledger.claim(t, token, this.now()))) {
      return true;
    }
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: owners },
        payload,
      });
    } catch (error) {
      await ledger.release(t, token);
      return this.attemptFailed(t, String(error));
    }
    await ledger.markSent(t, token, this.now());
    logger.info(
      `notified ${owners.join(', ')} of ${t.transition} of ${canaryText(t)}`,
    );
    return true;
  }

  /** Counts a failed attempt; false (try again later) until the attempts are used up. */
  private attemptFailed(t: RolloutTransition, why: string): boolean {
    const handled = this.handledOf(t);
    handled.attempts ??= new Map();
    const attempts = (handled.attempts.get(t.transition) ?? 0) + 1;
    handled.attempts.set(t.transition, attempts);
    if (attempts >= this.timing.maxAttempts) {
      this.options.logger.warn(
        `gave up notifying ${t.transition} of ${canaryText(
          t,
        )} after ${attempts} attempts: ${why}`,
      );
      return true;
    }
    this.options.logger.debug(
      `will try again to notify ${t.transition} of ${canaryText(t)}: ${why}`,
    );
    this.retryLater(t);
    return false;
  }

  /** Looks at the canary again after a while (one timer per canary). */
  private retryLater(key: CanaryKey, delayMs = this.timing.retryMs): void {
    const id = canaryId(key);
    if (this.stopped || this.retries.has(id)) {
      return;
    }
    const timer = setTimeout(() => {
      this.retries.delete(id);
      this.enqueue(key);
    }, delayMs);
    timer.unref?.();
    this.retries.set(id, timer);
  }

  /** The check that failed the rollout, as measured and stored, when there is evidence. */
  private async failureOf(
    t: RolloutTransition,
  ): Promise<RolloutFailure | undefined> {
    if (!this.options.evidence) {
      return undefined;
    }
    const rollout = {
      outcome: 'failed' as const,
      endedAt:
        t.endedAt === undefined ? undefined : new Date(t.endedAt).toISOString(),
      failedChecks: t.failedChecks,
      failureReason: t.failureReason,
      rolledBackBy: undefined,
    };
    const key: RolloutKey = {
      cluster: t.cluster,
      namespace: t.namespace,
      canary: t.canary,
      revision: t.revision,
    };
    const evidence = await this.options.evidence.failingEvidence([
      { ...key, before: failureWindowEnd(rollout) },
    ]);
    const checks = evidence.get(rolloutKeyString(key));
    return checks ? rolloutFailure(rollout, checks) : undefined;
  }
}
