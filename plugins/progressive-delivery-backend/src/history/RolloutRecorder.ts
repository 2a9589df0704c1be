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

const SEP = '\u0000';
const keyOf = (k: CanaryKey) => [k.cluster, k.namespace, k.canary].join(SEP);

/**
 * Follows every canary through the object store's and event history's change notifications
 * and records each rollout in the database. Everything it writes is derived from the cluster's
 * current state, so a restarted backend picks up a rollout in progress where it is, and
 * replicas recording the same cluster write the same rows (see {@link RolloutRepository}).
 * Writes run one at a time; changes to a canary that arrive while it waits are coalesced.
 */
export class RolloutRecorder {
  private tail: Promise<void> = Promise.resolve();
  /** What changed is written on its own queue, so it never delays the rollouts' rows. */
  private changesTail: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();
  private readonly written = new Map<string, string>();
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
    this.run(async () => {
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
    });
  }

  private enqueue(key: CanaryKey): void {
    const id = keyOf(key);
    if (this.pending.has(id)) {
      return;
    }
    this.pending.add(id);
    this.run(async () => {
      this.pending.delete(id);
      await this.record(key);
    });
  }

  private run(work: () => Promise<void>): void {
    this.tail = this.tail.then(work).catch(error => {
      this.options.logger.warn(
        `could not record rollout history: ${(error as Error).message}`,
      );
    });
  }

  private async record(key: CanaryKey): Promise<void> {
    const id = keyOf(key);
    const { store, events, repository } = this.options;
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
    const signature = JSON.stringify([observation, entityRef]);
    if (this.written.get(id) !== signature) {
      await repository.upsertRollout(
        observation,
        entityRef,
        (this.options.now ?? Date.now)(),
      );
      this.written.set(id, signature);
    }
    if (this.options.changes) {
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
    const signature = JSON.stringify([
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

  private async recordEvents(
    key: CanaryKey,
    kubeEvents: KubeEvent[],
  ): Promise<void> {
    const id = keyOf(key);
    let seen = this.writtenEvents.get(id);
    if (!seen) {
      seen = new Map();
      this.writtenEvents.set(id, seen);
    }
    const changed: StoredEvent[] = [];
    for (const kubeEvent of kubeEvents) {
      const uid = kubeEvent.metadata?.uid ?? kubeEvent.metadata?.name;
      const [event] = deriveCanaryEvents([kubeEvent]);
      if (!uid || !event) {
        continue;
      }
      const signature = `${event.count}|${event.timestamp}|${event.message}`;
      if (seen.get(uid) !== signature) {
        changed.push({ ...event, uid });
      }
    }
    await this.options.repository.upsertEvents(key, changed);
    for (const event of changed) {
      seen.set(event.uid, `${event.count}|${event.timestamp}|${event.message}`);
    }
  }
}
