import { createHash } from 'node:crypto';
import { clearInterval, setInterval } from 'node:timers';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  deriveCanaryEvents,
  KubeEvent,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { EntityResolver, ResolvedCanary } from '../resolve/EntityResolver';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { ObjectChange } from '../watch/types';
import { deriveRollout, RolloutObservation } from './deriveRollout';
import {
  canariesRoutedBy,
  ROUTER_KINDS,
  routedCanaryWeight,
} from './routedWeight';
import { CanaryKey, RolloutRepository, StoredEvent } from './RolloutRepository';
import { RolloutChangesService } from './RolloutChangesService';
import { objectId } from '../watch/objectId';
import { CoalescingQueue } from '../watch/CoalescingQueue';

/** A user's action that went through, as the actions report it. */
export interface NotedAction {
  cluster: string;
  namespace: string;
  name: string;
  kind: string;
  action: string;
  /** The user's entity ref, or the service principal's subject. */
  actor: string;
  at: Date;
}

/** Where the recorder hears of users' actions (DeliveryActions). */
export interface ActionSource {
  /** Returns the unsubscribe. */
  onPerformed(listener: (action: NotedAction) => void): () => void;
}

const keyOf = (k: CanaryKey) => objectId(k.cluster, k.namespace, k.canary);

/** What was last written, kept as a digest: 10,000 canaries must not hold 10,000 JSON copies. */
const digest = (value: unknown) =>
  createHash('sha1').update(JSON.stringify(value)).digest('base64');

interface Written {
  digest: string;
  /** The rollout has a row (what changed is only stored on an existing row). */
  stored: boolean;
}

/**
 * Follows every canary through the object store's and event history's change notifications
 * and records each rollout in the database. Everything it writes is derived from the cluster's
 * current state, so a restarted backend picks up a rollout in progress where it is, and
 * replicas recording the same cluster write the same rows (see {@link RolloutRepository}).
 * Writes run one at a time, each in its own turn of the event loop, so that a start-up's
 * thousands of first observations never hold up the cluster lists or requests; changes to a
 * canary that arrive while it waits are coalesced.
 */
export class RolloutRecorder {
  /** Canaries to record, one per turn of the event loop, each once however often it changed. */
  private readonly queue = new CoalescingQueue<CanaryKey>({
    turnEach: true,
    work: key => this.recordUnlessListing(key),
    failed: (_key, error) => this.notRecorded(error),
  });
  /** What changed is written on its own queue, so it never delays the rollouts' rows. */
  private changesTail: Promise<void> = Promise.resolve();
  /** Canaries of clusters still listing, recorded when their cluster is done. */
  private readonly deferred = new Map<string, CanaryKey>();
  private deferredTimer?: ReturnType<typeof setInterval>;
  private readonly written = new Map<string, Written>();
  /**
   * Canaries with rows recorded without an owner (read at start, then kept): only these need
   * their owner filled in. Undefined when it could not be read: fill on every write.
   */
  private withoutEntityRef?: Set<string>;
  private readonly writtenChanges = new Map<string, string>();
  private readonly writtenEvents = new Map<string, Map<string, string>>();
  private readonly unsubscribes: Array<() => void> = [];
  private readonly resolver: Pick<EntityResolver, 'resolveCanary'>;

  constructor(
    private readonly options: {
      store: ObjectStore;
      events: EventHistory;
      repository: RolloutRepository;
      /**
       * Finds a canary's router objects (VirtualService, HTTPRoute), whose routed weight is the
       * highest weight's truth; default: a resolver over `store` and `events`.
       */
      resolver?: Pick<EntityResolver, 'resolveCanary'>;
      /** Approvals and rollbacks to note on their rollouts. */
      actions?: ActionSource;
      /** What changed in each rollout, stored on its row. */
      changes?: Pick<RolloutChangesService, 'observe' | 'store' | 'forget'>;
      /** The catalog entity owning a canary, if any. */
      entityRefOf: (key: CanaryKey) => Promise<string | undefined>;
      /**
       * Whether a cluster is still listing its kinds at start (or after a watch expired): its
       * canaries are recorded once it is done, from all their objects at once, not once per
       * kind as each list lands.
       */
      listing?: (cluster: string) => boolean;
      logger: LoggerService;
      now?: () => number;
    },
  ) {
    this.resolver =
      options.resolver ??
      // The Istio root namespace only matters to policies, which the recorder does not read.
      new EntityResolver(options.store, options.events, 'istio-system');
  }

  start(): void {
    this.queue.addJob(
      async () => {
        const keys = await this.options.repository.canariesWithoutEntityRef();
        this.withoutEntityRef = new Set(keys.map(keyOf));
      },
      error => this.notRecorded(error),
    );
    if (this.options.listing) {
      this.deferredTimer = setInterval(() => this.recordDeferred(), 500);
      this.deferredTimer.unref();
    }
    const onChange = (change: ObjectChange) => {
      if (change.kind === 'Canary' || change.kind === 'Event') {
        this.enqueue({
          cluster: change.cluster,
          namespace: change.namespace,
          canary: change.name,
        });
      } else if (ROUTER_KINDS.includes(change.kind)) {
        this.onRouterChange(change);
      }
    };
    this.unsubscribes.push(
      this.options.store.subscribe(onChange),
      this.options.events.subscribe(onChange),
    );
    if (this.options.actions) {
      this.unsubscribes.push(
        this.options.actions.onPerformed(action => this.noteAction(action)),
      );
    }
  }

  /** A router object changed: the routed weight of the canaries it routes may have. */
  private onRouterChange(change: ObjectChange): void {
    const { store } = this.options;
    const router = store.get(
      change.cluster,
      change.kind,
      change.namespace,
      change.name,
    );
    if (!router) {
      return;
    }
    const canaries = canariesRoutedBy(router, () =>
      store.list(change.cluster, 'Canary', change.namespace),
    );
    for (const canary of canaries) {
      this.enqueue({
        cluster: change.cluster,
        namespace: change.namespace,
        canary,
      });
    }
  }

  stop(): void {
    this.unsubscribes.splice(0).forEach(u => u());
    if (this.deferredTimer) {
      clearInterval(this.deferredTimer);
      this.deferredTimer = undefined;
    }
  }

  /** Records the deferred canaries whose cluster has finished listing. */
  private recordDeferred(): void {
    for (const [id, key] of this.deferred) {
      if (!this.options.listing?.(key.cluster)) {
        this.deferred.delete(id);
        this.enqueue(key);
      }
    }
  }

  /** Records who approved or rolled back a canary's current rollout. */
  noteAction(action: NotedAction): void {
    if (
      action.kind !== 'Canary' ||
      (action.action !== 'approve' && action.action !== 'rollback')
    ) {
      return;
    }
    const key = {
      cluster: action.cluster,
      namespace: action.namespace,
      canary: action.name,
    };
    this.queue.addJob(
      async () => {
        await this.record(key);
        const canary = this.options.store.get(
          key.cluster,
          'Canary',
          key.namespace,
          key.canary,
        );
        const revision = (canary?.status as { lastAppliedSpec?: string })
          ?.lastAppliedSpec;
        const recorded =
          revision !== undefined &&
          (await this.options.repository.recordActor(
            { ...key, revision },
            action.action === 'approve' ? 'approved' : 'rolledBack',
            action.actor,
            action.at.getTime(),
          ));
        if (!recorded) {
          this.options.logger.warn(
            `no rollout of ${key.namespace}/${key.canary} in ${key.cluster} to record the ${action.action} by ${action.actor} on`,
          );
        }
      },
      error => this.notRecorded(error),
    );
  }

  private enqueue(key: CanaryKey): void {
    this.queue.add(keyOf(key), key);
  }

  private async recordUnlessListing(key: CanaryKey): Promise<void> {
    if (this.options.listing?.(key.cluster)) {
      this.deferred.set(keyOf(key), key);
      return;
    }
    await this.record(key);
  }

  private notRecorded(error: unknown): void {
    this.options.logger.warn(
      `could not record rollout history: ${(error as Error).message}`,
    );
  }

  private async record(key: CanaryKey): Promise<void> {
    const id = keyOf(key);
    const { store, events } = this.options;
    const canary = store.get(key.cluster, 'Canary', key.namespace, key.canary);
    if (!canary) {
      this.written.delete(id);
      this.writtenEvents.delete(id);
      this.writtenChanges.delete(id);
      this.options.changes?.forget(key);
      return;
    }
    const kubeEvents = events.eventsFor(key.cluster, key.namespace, key.canary);
    await this.recordEvents(key, kubeEvents);
    const resolved = this.resolver.resolveCanary(key.cluster, canary);
    const observation = deriveRollout(
      key.cluster,
      canary,
      kubeEvents,
      routedCanaryWeight(resolved),
    );
    if (!observation) {
      return;
    }
    const entityRef = await this.entityRefOf(key);
    const signature = digest([observation, entityRef]);
    let written = this.written.get(id);
    if (written?.digest !== signature) {
      written = {
        digest: signature,
        stored: await this.upsert(id, observation, entityRef),
      };
      this.written.set(id, written);
    }
    if (this.options.changes && written.stored) {
      // In order, after the row: every observation, each written when what it stores changed.
      this.changesTail = this.changesTail
        .then(() => this.recordChanges(key, resolved, observation))
        .catch(error => {
          this.options.logger.warn(
            `could not record what changed in a rollout: ${
              (error as Error).message
            }`,
          );
        });
    }
  }

  /** Writes the rollout's row; fills in the owner of its older rows when they lack one. */
  private async upsert(
    id: string,
    observation: RolloutObservation,
    entityRef: string | undefined,
  ): Promise<boolean> {
    const unowned = this.withoutEntityRef;
    const fillEntityRef = !unowned || (!!entityRef && unowned.has(id));
    const stored = await this.options.repository.upsertRollout(
      observation,
      entityRef,
      (this.options.now ?? Date.now)(),
      { fillEntityRef },
    );
    if (entityRef && fillEntityRef) {
      unowned?.delete(id);
    } else if (!entityRef && stored) {
      unowned?.add(id);
    }
    return stored;
  }

  /** What changed in the rollout, once its row is written (see RolloutChangesService). */
  private async recordChanges(
    key: CanaryKey,
    resolved: ResolvedCanary,
    observation: RolloutObservation,
  ): Promise<void> {
    const { changes } = this.options;
    if (!changes) {
      return;
    }
    const id = keyOf(key);
    const observed = await changes.observe(key.cluster, resolved);
    // Rewritten only when what is stored changed (not at every step of the rollout).
    const signature = digest([
      observation.revision,
      observation.outcome,
      observation.startFromEvent,
      observed,
    ]);
    if (this.writtenChanges.get(id) === signature) {
      return;
    }
    await changes.store(
      { ...key, revision: observation.revision },
      observed,
      observation.outcome,
    );
    this.writtenChanges.set(id, signature);
  }

  /** The owning entity; a catalog failure records the rollout without one, to be filled later. */
  private async entityRefOf(key: CanaryKey): Promise<string | undefined> {
    try {
      return await this.options.entityRefOf(key);
    } catch (error) {
      this.options.logger.warn(
        `could not look up the entity of canary ${key.namespace}/${
          key.canary
        } in ${key.cluster}: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  /** Writes the canary's events that are new or changed since last written. */
  private async recordEvents(
    key: CanaryKey,
    kubeEvents: KubeEvent[],
  ): Promise<void> {
    const id = keyOf(key);
    const seen = this.writtenEvents.get(id);
    // Only the events the cluster still has: expired ones are forgotten, not kept forever.
    const current = new Map<string, string>();
    const changed: StoredEvent[] = [];
    for (const kubeEvent of kubeEvents) {
      const uid = kubeEvent.metadata?.uid ?? kubeEvent.metadata?.name;
      const [event] = deriveCanaryEvents([kubeEvent]);
      if (!uid || !event) {
        continue;
      }
      const signature = digest([event.count, event.timestamp, event.message]);
      current.set(uid, signature);
      if (seen?.get(uid) !== signature) {
        changed.push({ ...event, uid });
      }
    }
    await this.options.repository.upsertEvents(key, changed);
    if (current.size > 0) {
      this.writtenEvents.set(id, current);
    } else {
      this.writtenEvents.delete(id);
    }
  }
}
