// Types of the action and rollout history API. The OpenAPI spec in the backend package describes
// the same shapes; keep both in step.
import type { RolloutFailure } from './apiAnalysis';
import type { RolloutChanges } from './apiWhatChanged';

/**
 * The actions on a Flagger Canary (`POST /v1/clusters/{cluster}/namespaces/{namespace}/canaries/{name}/{action}`).
 *
 * - `approve` opens the gate of the waiting `confirm-rollout`, `confirm-traffic-increase` or
 *   `confirm-promotion` webhook (permission `progressive-delivery.canary.approve`);
 * - `halt` closes the canary's confirm gates again (permission `progressive-delivery.canary.rollback`);
 * - `rollback` opens the `rollback` webhook's gate (permission `progressive-delivery.canary.rollback`).
 *
 * @public
 */
export type CanaryActionName = 'approve' | 'halt' | 'rollback';

/**
 * The actions on a Flux object (`POST /v1/clusters/{cluster}/namespaces/{namespace}/{kind}/{name}/{action}`).
 *
 * - `reconcile` sets `reconcile.fluxcd.io/requestedAt` (permission `progressive-delivery.flux.reconcile`);
 * - `suspend` and `resume` set `spec.suspend` (permission `progressive-delivery.flux.suspend`).
 *
 * @public
 */
export type FluxActionName = 'reconcile' | 'suspend' | 'resume';

/**
 * The Flux kinds the actions accept, as the lower-case plural of the route.
 *
 * @public
 */
export const FLUX_ACTION_KINDS = {
  kustomizations: 'Kustomization',
  helmreleases: 'HelmRelease',
  gitrepositories: 'GitRepository',
  ocirepositories: 'OCIRepository',
  helmrepositories: 'HelmRepository',
} as const;

/**
 * The route segment of a Flux kind.
 *
 * @public
 */
export type FluxActionKind = keyof typeof FLUX_ACTION_KINDS;

/**
 * Body of every action request. All fields are optional.
 *
 * @public
 */
export interface ActionRequest {
  /**
   * The catalog entity the user acts from (e.g. `component:default/podinfo`). When given, the
   * permission is checked on this entity, which must own the object; otherwise on the entities
   * owning the object (allowed when any of them allows).
   */
  entityRef?: string;
  /** Reconcile only: reconcile the object's source first. */
  withSource?: boolean;
}

/**
 * The answer of a successful action.
 *
 * @public
 */
export interface ActionResponse {
  action: CanaryActionName | FluxActionName;
  /** The object acted on. */
  ref: { cluster: string; kind: string; namespace: string; name: string };
  /** The entity whose permission allowed the action. */
  entityRef: string;
  /** What was done, in words, for the UI to show. */
  message: string;
  /** Canary actions: the webhook whose gate was opened or closed. */
  webhook?: { name: string; type: string; url: string };
  /** Reconcile: the value written to `reconcile.fluxcd.io/requestedAt`. */
  requestedAt?: string;
  /** Reconcile with `withSource`: the source reconciled first. */
  source?: { kind: string; namespace: string; name: string };
  /** Suspend and resume: the new `spec.suspend`. */
  suspended?: boolean;
}

/**
 * How a recorded rollout ended. `superseded`: a newer revision replaced it before it ended.
 *
 * @public
 */
export type RolloutOutcome =
  | 'progressing'
  | 'succeeded'
  | 'failed'
  | 'superseded';

/**
 * One event of a recorded rollout's timeline.
 *
 * @public
 */
export interface RolloutEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  category: string;
  timestamp: string;
  count: number;
}

/**
 * One rollout (a canary revision) as the recorder stored it.
 *
 * @public
 */
export interface RolloutRecord {
  id: string;
  cluster: string;
  namespace: string;
  canary: string;
  /** The catalog entity that owned the canary when the rollout was recorded. */
  entityRef?: string;
  /** Flagger's `status.lastAppliedSpec` of the rollout. */
  revision: string;
  /** `status.lastPromotedSpec` when the rollout started: the revision it replaces. */
  previousRevision?: string;
  startedAt: string;
  endedAt?: string;
  /** `endedAt - startedAt`, when ended. */
  durationMs?: number;
  outcome: RolloutOutcome;
  /** Highest canary traffic weight reached (percent). */
  maxWeight: number;
  /** Failed metric checks when the rollout ended (highest count seen). */
  failedChecks: number;
  /** Why it failed, from Flagger's events. */
  failureReason?: string;
  /** The check that failed it, as measured, when the backend evaluated its analysis. */
  failure?: RolloutFailure;
  /** The user (entity ref) who approved a gate of this rollout, through this plugin. */
  approvedBy?: string;
  approvedAt?: string;
  /** The user (entity ref) who rolled it back or halted it, through this plugin. */
  rolledBackBy?: string;
  rolledBackAt?: string;
  /** Flagger's events of this rollout, oldest first. */
  events: RolloutEvent[];
  /** What the rollout changed against the revision promoted before it, as recorded. */
  changes?: RolloutChanges;
}

/**
 * Response of `GET /v1/entities/{kind}/{namespace}/{name}/history`: newest first.
 *
 * @public
 */
export interface RolloutHistoryResponse {
  items: RolloutRecord[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/**
 * Response of `GET /v1/entities/{kind}/{namespace}/{name}/history/summary?days=N`.
 *
 * @public
 */
export interface RolloutSummary {
  entityRef: string;
  /** The window: rollouts started in `[from, to]`. */
  days: number;
  from: string;
  to: string;
  rollouts: number;
  succeeded: number;
  failed: number;
  progressing: number;
  superseded: number;
  /** succeeded / (succeeded + failed); absent when none ended. */
  successRate?: number;
  /** Failed rollouts (automatic or manual rollbacks). */
  rollbacks: number;
  /** Rollbacks triggered by a user through this plugin. */
  manualRollbacks: number;
  /** Median start-to-promotion time of the succeeded rollouts. */
  medianTimeToPromoteMs?: number;
}
