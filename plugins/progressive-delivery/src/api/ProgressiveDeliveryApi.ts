import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ActionRequest,
  ActionResponse,
  CanaryActionName,
  CanaryListResponse,
  ClusterListResponse,
  EntityDeliveryState,
  FluxActionName,
  ObjectRef,
  RolloutAnalysisResponse,
  RolloutHistoryResponse,
  RolloutSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import type { ActionCallOptions } from './userDelegatedActions';

/**
 * Filters of {@link ProgressiveDeliveryApi.listCanaries}; all optional, combined with AND.
 *
 * @public
 */
export interface CanaryListFilter {
  cluster?: string;
  namespace?: string;
  phase?: string;
}

/**
 * A page of {@link ProgressiveDeliveryApi.getRolloutHistory}.
 *
 * @public
 */
export interface RolloutHistoryPage {
  /** Page size, 1 to 100; the backend's default is 20. */
  limit?: number;
  /** The `nextCursor` of the previous page; absent for the newest page. */
  cursor?: string;
}

/**
 * The state of a live-update subscription, for the UI to show whether it follows changes.
 *
 * @public
 */
export type LiveConnectionStatus =
  | 'connecting'
  | 'live'
  | 'reconnecting'
  // A permanent error (403, 404): no more attempts.
  | 'stopped';

/**
 * Receives what a live-update subscription delivers.
 *
 * @public
 */
export interface DeliveryStateObserver {
  /** Every full state the backend sends: at once, then after each change. */
  next(state: EntityDeliveryState): void;
  /** The stream failed; it is retried with backoff until unsubscribed. */
  error?(error: Error): void;
  status?(status: LiveConnectionStatus): void;
}

/**
 * A live-update subscription.
 *
 * @public
 */
export interface DeliveryStateSubscription {
  unsubscribe(): void;
}

/**
 * Client of the Progressive Delivery backend (`/api/progressive-delivery`).
 *
 * @public
 */
export interface ProgressiveDeliveryApi {
  /** `GET /v1/entities/{kind}/{namespace}/{name}`: the entity's delivery state per cluster. */
  getEntityDeliveryState(
    entityRef: CompoundEntityRef,
  ): Promise<EntityDeliveryState>;

  /**
   * `GET /v1/entities/{kind}/{namespace}/{name}/events`: follows the entity's delivery state
   * until unsubscribed, reconnecting with backoff when the stream breaks.
   */
  subscribeToEntityDeliveryState(
    entityRef: CompoundEntityRef,
    observer: DeliveryStateObserver,
  ): DeliveryStateSubscription;

  /** `GET /v1/canaries`: every canary the caller may see, across clusters. */
  listCanaries(filter?: CanaryListFilter): Promise<CanaryListResponse>;

  /**
   * `GET /v1/entities/{kind}/{namespace}/{name}/history`: the entity's recorded rollouts,
   * newest first, one page at a time.
   */
  getRolloutHistory(
    entityRef: CompoundEntityRef,
    page?: RolloutHistoryPage,
  ): Promise<RolloutHistoryResponse>;

  /**
   * `GET /v1/entities/{kind}/{namespace}/{name}/history/summary`: rollouts, success rate,
   * rollbacks and median time to promote over the last `days` days (backend default 30).
   */
  getRolloutSummary(
    entityRef: CompoundEntityRef,
    options?: { days?: number },
  ): Promise<RolloutSummary>;

  /**
   * `GET /v1/entities/{kind}/{namespace}/{name}/history/{rolloutId}/analysis`: what each check
   * of one recorded rollout measured, for the canary and the primary, oldest first.
   */
  getRolloutAnalysis(
    entityRef: CompoundEntityRef,
    rolloutId: string,
  ): Promise<RolloutAnalysisResponse>;

  /** `GET /v1/clusters`: each cluster's connection and sync status. */
  listClusters(): Promise<ClusterListResponse>;

  /**
   * `POST /v1/clusters/{cluster}/namespaces/{namespace}/canaries/{name}/{action}`: opens a
   * waiting gate (`approve`), closes the gates again (`halt`) or rolls back (`rollback`). On a
   * cluster with user-delegated actions it sends the user's cluster token, from
   * `options.kubernetesAuthProviders`.
   */
  runCanaryAction(
    canary: ObjectRef,
    action: CanaryActionName,
    request?: ActionRequest,
    options?: ActionCallOptions,
  ): Promise<ActionResponse>;

  /**
   * `POST /v1/clusters/{cluster}/namespaces/{namespace}/{kinds}/{name}/{action}`: requests a
   * reconciliation, or suspends or resumes a Flux object. Credentials as for
   * {@link ProgressiveDeliveryApi.runCanaryAction}.
   */
  runFluxAction(
    object: ObjectRef,
    action: FluxActionName,
    request?: ActionRequest,
    options?: ActionCallOptions,
  ): Promise<ActionResponse>;
}

/**
 * The {@link ProgressiveDeliveryApi} reference.
 *
 * @public
 */
export const progressiveDeliveryApiRef =
  createApiRef<ProgressiveDeliveryApi>().with({
    id: 'plugin.progressive-delivery.service',
    pluginId: 'progressive-delivery',
  });
