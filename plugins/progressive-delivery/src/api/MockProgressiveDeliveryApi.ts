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
  RolloutAnalysisResponse,
  RolloutHistoryResponse,
  RolloutRecord,
  RolloutSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  CanaryListFilter,
  DeliveryStateObserver,
  DeliveryStateSubscription,
  ProgressiveDeliveryApi,
  RolloutHistoryPage,
} from './ProgressiveDeliveryApi';
import { ActionCallOptions } from './userDelegatedActions';

/** Builds an action's answer; throw to answer with an error (e.g. a `ConflictError`). */
export type MockActionHandler = (
  ref: ObjectRef,
  action: CanaryActionName | FluxActionName,
  request: ActionRequest,
  options?: ActionCallOptions,
) => ActionResponse | Promise<ActionResponse>;

/**
 * A rollout's analysis as the mock answers it: the response, or a function that builds it or
 * throws (to test loading and errors).
 */
export type MockRolloutAnalysis =
  | RolloutAnalysisResponse
  | (() => Promise<RolloutAnalysisResponse>);

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
  /** Every history and summary request, in order, to check what views ask for. */
  readonly historyRequests: Array<{
    entityRef: string;
    what: 'history' | 'summary';
    page?: RolloutHistoryPage;
    days?: number;
  }> = [];
  /** Every rollout analysis request, in order: entity ref and rollout id. */
  readonly analysisRequests: Array<{ entityRef: string; rolloutId: string }> =
    [];
  private readonly analyses = new Map<string, MockRolloutAnalysis>();
  private canaries: CanarySummary[];
  private clusters: ClusterStatus[];
  private readonly rollouts = new Map<string, RolloutRecord[]>();
  private readonly summaries = new Map<string, RolloutSummary>();
  private actionHandler?: MockActionHandler;

  constructor(
    options: {
      /** Entity states, keyed by their `entityRef`. */
      entities?: EntityDeliveryState[];
      canaries?: CanarySummary[];
      clusters?: ClusterStatus[];
      /** Recorded rollouts per entity ref, newest first. */
      rollouts?: Record<string, RolloutRecord[]>;
      /** Summary per entity ref, answered whatever `days` is asked; empty when not given. */
      summaries?: RolloutSummary[];
      /** Per-rollout analysis by rollout id; a recorded rollout without one has no checks. */
      analyses?: Record<string, MockRolloutAnalysis>;
      /** Answers actions; the default succeeds with a message naming the object. */
      onAction?: MockActionHandler;
    } = {},
  ) {
    for (const state of options.entities ?? []) {
      this.states.set(state.entityRef, state);
    }
    this.canaries = options.canaries ?? [];
    this.clusters = options.clusters ?? [];
    for (const [entityRef, records] of Object.entries(options.rollouts ?? {})) {
      this.rollouts.set(entityRef, records);
    }
    for (const summary of options.summaries ?? []) {
      this.summaries.set(summary.entityRef, summary);
    }
    for (const [rolloutId, analysis] of Object.entries(
      options.analyses ?? {},
    )) {
      this.analyses.set(rolloutId, analysis);
    }
    this.actionHandler = options.onAction;
  }

  /** Sets what `getRolloutAnalysis` answers for a rollout. */
  setRolloutAnalysis(rolloutId: string, analysis: MockRolloutAnalysis): void {
    this.analyses.set(rolloutId, analysis);
  }

  /** Replaces an entity's recorded rollouts (newest first) and its summary. */
  setRollouts(
    entityRef: string,
    records: RolloutRecord[],
    summary?: RolloutSummary,
  ): void {
    this.rollouts.set(entityRef, records);
    if (summary) {
      this.summaries.set(entityRef, summary);
    }
  }

  setActionHandler(handler: MockActionHandler | undefined): void {
    this.actionHandler = handler;
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

  /** Pages by offset: the cursor is the index of the page's first record. */
  async getRolloutHistory(
    entityRef: CompoundEntityRef,
    page: RolloutHistoryPage = {},
  ): Promise<RolloutHistoryResponse> {
    const ref = stringifyEntityRef(entityRef);
    this.historyRequests.push({ entityRef: ref, what: 'history', page });
    const records = this.rollouts.get(ref) ?? [];
    const start = page.cursor ? Number(page.cursor) : 0;
    const end = start + (page.limit ?? 20);
    return {
      items: records.slice(start, end),
      ...(end < records.length && { nextCursor: String(end) }),
    };
  }

  async getRolloutSummary(
    entityRef: CompoundEntityRef,
    options: { days?: number } = {},
  ): Promise<RolloutSummary> {
    const ref = stringifyEntityRef(entityRef);
    this.historyRequests.push({
      entityRef: ref,
      what: 'summary',
      days: options.days,
    });
    const days = options.days ?? 30;
    const summary = this.summaries.get(ref);
    if (summary) {
      return { ...summary, days };
    }
    // As the backend answers for an entity without recorded rollouts.
    const to = new Date();
    return {
      entityRef: ref,
      days,
      from: new Date(to.getTime() - days * 86_400_000).toISOString(),
      to: to.toISOString(),
      rollouts: 0,
      succeeded: 0,
      failed: 0,
      progressing: 0,
      superseded: 0,
      rollbacks: 0,
      manualRollbacks: 0,
    };
  }

  /** As the backend: 404 for a rollout that is not one of the entity's recorded rollouts. */
  async getRolloutAnalysis(
    entityRef: CompoundEntityRef,
    rolloutId: string,
  ): Promise<RolloutAnalysisResponse> {
    const ref = stringifyEntityRef(entityRef);
    this.analysisRequests.push({ entityRef: ref, rolloutId });
    const analysis = this.analyses.get(rolloutId);
    if (typeof analysis === 'function') {
      return analysis();
    }
    if (analysis) {
      return analysis;
    }
    if (!(this.rollouts.get(ref) ?? []).some(r => r.id === rolloutId)) {
      throw new NotFoundError(`No rollout ${rolloutId} of ${ref}`);
    }
    return { rolloutId, checks: [] };
  }

  async listClusters(): Promise<ClusterListResponse> {
    return { items: this.clusters };
  }

  async runCanaryAction(
    canary: ObjectRef,
    action: CanaryActionName,
    request: ActionRequest = {},
    options?: ActionCallOptions,
  ): Promise<ActionResponse> {
    return this.record(canary, action, request, options);
  }

  async runFluxAction(
    object: ObjectRef,
    action: FluxActionName,
    request: ActionRequest = {},
    options?: ActionCallOptions,
  ): Promise<ActionResponse> {
    return this.record(object, action, request, options);
  }

  private async record(
    ref: ObjectRef,
    action: CanaryActionName | FluxActionName,
    request: ActionRequest,
    options?: ActionCallOptions,
  ): Promise<ActionResponse> {
    this.actions.push({ ref, action, request });
    if (this.actionHandler) {
      return this.actionHandler(ref, action, request, options);
    }
    return {
      action,
      ref,
      entityRef: request.entityRef ?? '',
      message: `${action} ${ref.kind} ${ref.namespace}/${ref.name} in ${ref.cluster}`,
    };
  }
}
