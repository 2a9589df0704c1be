import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ActionRequest,
  ActionResponse,
  CanaryActionName,
  CanaryListResponse,
  CanarySummary,
  ClusterListResponse,
  ClusterStatus,
  EntityDeliveryState,
  FluxActionName,
  ObjectRef,
} from '@internal/plugin-progressive-delivery-common';
import {
  CanaryListFilter,
  DeliveryStateObserver,
  DeliveryStateSubscription,
  ProgressiveDeliveryApi,
} from './ProgressiveDeliveryApi';

/**
 * An in-memory {@link ProgressiveDeliveryApi} for tests and demos: serves the states it was
 * given and pushes every `setEntityState` to open subscriptions, as the backend's stream does.
 *
 * @public
 */
export class MockProgressiveDeliveryApi implements ProgressiveDeliveryApi {
  private readonly states = new Map<string, EntityDeliveryState>();
  private readonly observers = new Map<string, Set<DeliveryStateObserver>>();
  /** Every action run through this mock, in order. */
  readonly actions: Array<{
    ref: ObjectRef;
    action: CanaryActionName | FluxActionName;
    request: ActionRequest;
  }> = [];
  private canaries: CanarySummary[];
  private clusters: ClusterStatus[];

  constructor(
    options: {
      /** Entity states, keyed by their `entityRef`. */
      entities?: EntityDeliveryState[];
      canaries?: CanarySummary[];
      clusters?: ClusterStatus[];
    } = {},
  ) {
    for (const state of options.entities ?? []) {
      this.states.set(state.entityRef, state);
    }
    this.canaries = options.canaries ?? [];
    this.clusters = options.clusters ?? [];
  }

  /** Replaces an entity's state and sends it to every subscriber of that entity. */
  setEntityState(state: EntityDeliveryState): void {
    this.states.set(state.entityRef, state);
    for (const observer of this.observers.get(state.entityRef) ?? []) {
      observer.next(state);
    }
  }

  setCanaries(canaries: CanarySummary[]): void {
    this.canaries = canaries;
  }

  setClusters(clusters: ClusterStatus[]): void {
    this.clusters = clusters;
  }

  /** Number of open subscriptions for an entity, to check that views unsubscribe. */
  subscriberCount(entityRef: string): number {
    return this.observers.get(entityRef)?.size ?? 0;
  }

  async getEntityDeliveryState(
    entityRef: CompoundEntityRef,
  ): Promise<EntityDeliveryState> {
    const ref = stringifyEntityRef(entityRef);
    const state = this.states.get(ref);
    if (!state) {
      throw new NotFoundError(`No entity ${ref}`);
    }
    return state;
  }

  subscribeToEntityDeliveryState(
    entityRef: CompoundEntityRef,
    observer: DeliveryStateObserver,
  ): DeliveryStateSubscription {
    const ref = stringifyEntityRef(entityRef);
    const observers = this.observers.get(ref) ?? new Set();
    observers.add(observer);
    this.observers.set(ref, observers);
    observer.status?.('live');
    const state = this.states.get(ref);
    if (state) {
      observer.next(state);
    }
    return { unsubscribe: () => observers.delete(observer) };
  }

  async listCanaries(filter?: CanaryListFilter): Promise<CanaryListResponse> {
    return {
      items: this.canaries.filter(
        c =>
          (!filter?.cluster || c.ref.cluster === filter.cluster) &&
          (!filter?.namespace || c.ref.namespace === filter.namespace) &&
          (!filter?.phase || c.progress.phase === filter.phase),
      ),
    };
  }

  async listClusters(): Promise<ClusterListResponse> {
    return { items: this.clusters };
  }

  async runCanaryAction(
    canary: ObjectRef,
    action: CanaryActionName,
    request: ActionRequest = {},
  ): Promise<ActionResponse> {
    return this.record(canary, action, request);
  }

  async runFluxAction(
    object: ObjectRef,
    action: FluxActionName,
    request: ActionRequest = {},
  ): Promise<ActionResponse> {
    return this.record(object, action, request);
  }

  private record(
    ref: ObjectRef,
    action: CanaryActionName | FluxActionName,
    request: ActionRequest,
  ): ActionResponse {
    this.actions.push({ ref, action, request });
    return {
      action,
      ref,
      entityRef: request.entityRef ?? '',
      message: `${action} ${ref.kind} ${ref.namespace}/${ref.name} in ${ref.cluster}`,
    };
  }
}
