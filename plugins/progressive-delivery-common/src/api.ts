// Types of the HTTP API responses. The OpenAPI spec in the backend package describes the same
// shapes; keep both in step.
import type { IstioRouting } from './apiRouting';
import type { CanaryAnalysisEvidence, CanaryLink } from './apiAnalysis';
import type { RolloutChanges } from './apiWhatChanged';

export * from './apiRouting';
export * from './apiAnalysis';

/**
 * A reference to an object in one cluster.
 *
 * @public
 */
export interface ObjectRef {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * A cluster-level failure, carried as data on that cluster's entry.
 *
 * @public
 */
export interface ClusterError {
  errorType:
    | 'UNREACHABLE'
    | 'UNAUTHORIZED'
    | 'FORBIDDEN'
    | 'BAD_REQUEST'
    | 'SERVER_ERROR'
    | 'UNKNOWN_ERROR';
  message: string;
  statusCode?: number;
  /** The kind (e.g. `Canary`) whose list or watch failed. */
  kind?: string;
  /** `list` or `watch`. */
  verb?: string;
}

/**
 * Sync state of one watched kind in one cluster.
 *
 * @public
 */
export interface KindSyncStatus {
  kind: string;
  /** `synced`: listed and watching; `notInstalled`: the CRD is absent (404 on list). */
  state: 'pending' | 'synced' | 'notInstalled' | 'error';
  objects: number;
  lastSyncAt?: string;
  error?: ClusterError;
}

/**
 * Connection and sync status of one cluster (`GET /v1/clusters`).
 *
 * @public
 */
export interface ClusterStatus {
  name: string;
  url: string;
  /** `synced` when every kind is synced or not installed. */
  state: 'pending' | 'synced' | 'degraded' | 'error';
  kinds: KindSyncStatus[];
  errors: ClusterError[];
  /** The Kubernetes plugin's auth provider of the cluster (`serviceAccount`, `azure`, `oidc`, ...). */
  authProvider?: string;
  /** With `authProvider` oidc: the frontend's OIDC token provider (`kubernetes.io/oidc-token-provider`). */
  oidcTokenProvider?: string;
  /** The cluster locator it came from. */
  source?: 'config' | 'catalog' | 'localKubectlProxy' | 'inCluster' | 'gke';
  /**
   * Actions on this cluster are performed with the user's own cluster token (aks, google,
   * oidc): send it in the `Backstage-Kubernetes-Authorization: Bearer <token>` header.
   */
  userDelegatedActions?: boolean;
}

/**
 * A problem found in one object, e.g. a malformed status.
 *
 * @public
 */
export interface ObjectProblem {
  field: string;
  message: string;
}

/**
 * Flagger's rollout strategy, as selected by the Canary's analysis block.
 *
 * @public
 */
export type CanaryStrategy = 'canary' | 'blueGreen' | 'abTesting';

/**
 * One step of a Canary rollout.
 *
 * @public
 */
export interface CanaryStep {
  /** Canary weight during this step (percent); for iteration strategies the traffic sent. */
  weight: number;
  /**
   * `start`: new revision detected, no traffic yet; `mirror`: traffic copied to the canary at
   * weight 0; `iteration`: one blue/green or A/B round; `promote`: copying the canary to primary.
   */
  kind: 'start' | 'mirror' | 'weight' | 'iteration' | 'promote';
  /** The step's label as the UI shows it: `0%`, `mirror`, `10%`, `3/10`, `promote`. */
  label: string;
  state: 'done' | 'current' | 'pending';
}

/**
 * Flagger's manual gates and rollback hooks.
 *
 * @public
 */
export type CanaryGateType =
  | 'confirm-rollout'
  | 'confirm-traffic-increase'
  | 'confirm-promotion'
  | 'rollback';

/**
 * A gate webhook and whether Flagger currently waits on it.
 *
 * @public
 */
export interface CanaryGate {
  name: string;
  type: CanaryGateType;
  url: string;
  /** True when the canary is halted until this gate opens. */
  waiting: boolean;
  /** What opening the gate does, in words. */
  description: string;
}

/**
 * One metric check of the analysis.
 *
 * @public
 */
export interface CanaryMetricCheck {
  name: string;
  templateRef?: { name: string; namespace?: string };
  /**
   * The MetricTemplate `templateRef` names (its namespace defaults to the canary's), as found
   * in the cluster; `found: false` when no such template exists.
   */
  template?: {
    found: boolean;
    /** `spec.provider.type`: prometheus, datadog, ... */
    provider?: string;
    /** `spec.provider.address`, when set. */
    address?: string;
    /** `spec.query`, unrendered (with Flagger's template variables). */
    query?: string;
  };
  thresholdRange?: { min?: number; max?: number };
  interval?: string;
}

/**
 * An alert of the canary's analysis (`spec.analysis.alerts`) with the AlertProvider it names.
 * The provider's address and secret are never exposed (a webhook URL is a credential).
 *
 * @public
 */
export interface CanaryAlert {
  name: string;
  /** `info`, `warn` or `error` (Flagger's default: info). */
  severity: string;
  providerRef: { name: string; namespace: string };
  /** The AlertProvider as found in the cluster; absent when it does not exist. */
  provider?: { type: string; channel?: string; username?: string };
}

/**
 * A webhook that is not a gate (pre-rollout, rollout, post-rollout, event).
 *
 * @public
 */
export interface CanaryWebhook {
  name: string;
  type: string;
  url: string;
}

/**
 * Progress of one Flagger Canary, derived from its spec and status.
 *
 * @public
 */
export interface CanaryProgress {
  phase: string;
  /** The phase's meaning in words. */
  phaseDescription: string;
  /** `active` while analysis or promotion runs; `waiting` at a gate. */
  activity: 'idle' | 'active' | 'waiting' | 'succeeded' | 'failed';
  strategy: CanaryStrategy;
  mirroring: boolean;
  /** Traffic to the canary (percent), from the mesh routing when known, else the status. */
  canaryWeight: number;
  primaryWeight: number;
  /**
   * Where the weights come from: the router object (VirtualService or HTTPRoute, `routing`) or
   * `status.canaryWeight` (`status`: no router object is read for this provider, or none exists).
   */
  weightSource: 'routing' | 'status';
  /** `spec.provider` (istio, gatewayapi:v1, linkerd, nginx, kubernetes, ...); absent: the mesh default. */
  provider?: string;
  maxWeight: number;
  steps: CanaryStep[];
  /** Index into `steps` of the current step, or -1 when no rollout runs. */
  currentStepIndex: number;
  iterations?: { current: number; total: number };
  failedChecks: number;
  threshold: number;
  /** Analysis interval in milliseconds. */
  intervalMs: number;
  /** Estimated time to promotion at the current interval, if all checks pass. */
  remainingMs?: number;
  estimatedCompletionAt?: string;
  revision: {
    lastAppliedSpec?: string;
    lastPromotedSpec?: string;
    /** A new revision (lastAppliedSpec differs from lastPromotedSpec) is being analysed. */
    underAnalysis: boolean;
  };
  lastTransitionTime?: string;
  conditionMessage?: string;
  metrics: CanaryMetricCheck[];
  alerts: CanaryAlert[];
  webhooks: CanaryWebhook[];
  gates: CanaryGate[];
  skipAnalysis: boolean;
  suspended: boolean;
  problems: ObjectProblem[];
}

/**
 * A Flagger event for a Canary, as the UI timeline shows it.
 *
 * @public
 */
export interface CanaryEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Classification of the message (advance, halt, gate, rollback, ...). */
  category:
    | 'initialized'
    | 'newRevision'
    | 'started'
    | 'advance'
    | 'halt'
    | 'gateWaiting'
    | 'gatePassed'
    | 'promotion'
    | 'promoted'
    | 'rollback'
    | 'failed'
    | 'notReady'
    | 'other';
  timestamp: string;
  count: number;
}

/**
 * Flux's summary of one Flux object.
 *
 * @public
 */
export interface FluxReadiness {
  status:
    | 'ready'
    | 'progressing'
    | 'failed'
    | 'stalled'
    | 'suspended'
    | 'unknown';
  ready?: 'True' | 'False' | 'Unknown';
  readyReason?: string;
  readyMessage?: string;
  healthy?: 'True' | 'False' | 'Unknown';
  /** Why the health check failed (Healthy=False or Ready reason HealthCheckFailed). */
  healthCheckFailure?: string;
  stalled: boolean;
  stalledMessage?: string;
  reconciling: boolean;
  suspended: boolean;
  appliedRevision?: string;
  attemptedRevision?: string;
  /**
   * The Git commit behind an OCI artifact, when the artifact carries it
   * (`org.opencontainers.image.revision`, or a Kustomization's `lastAppliedOriginRevision`).
   */
  originRevision?: string;
  /** The attempted revision differs from the applied one: a new revision did not apply (yet). */
  revisionPending: boolean;
  /** The controller has not seen the latest spec yet. */
  stale: boolean;
  lastReconciledAt?: string;
  problems: ObjectProblem[];
}

/**
 * A Flux object (Kustomization, HelmRelease or a source) with its readiness.
 *
 * @public
 */
export interface FluxResource {
  ref: ObjectRef;
  apiVersion: string;
  /**
   * For Kustomizations and HelmReleases: the source they read from (GitRepository,
   * OCIRepository, Bucket, ExternalArtifact, HelmRepository, or a HelmChart via `chartRef`).
   */
  sourceRef?: ObjectRef;
  /** For HelmReleases with a chart template: the HelmChart Flux made from it. */
  chartRef?: ObjectRef;
  /** For sources: the URL they fetch. */
  url?: string;
  readiness: FluxReadiness;
}

/**
 * A workload (Deployment or DaemonSet) that belongs to the entity.
 *
 * @public
 */
export interface WorkloadSummary {
  ref: ObjectRef;
  replicas?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
  images: string[];
}

/**
 * One canary with everything around it.
 *
 * @public
 */
export interface CanaryState {
  ref: ObjectRef;
  target?: { kind: string; name: string };
  progress: CanaryProgress;
  /** The Kustomization or HelmRelease that applied the canary or its target. */
  fluxOwner?: ObjectRef;
  routing?: IstioRouting;
  /** Flagger events, newest first, for the current rollout. */
  events: CanaryEvent[];
  /** Measured values of the analysis checks, when the backend evaluates them. */
  analysis?: CanaryAnalysisEvidence;
  /** Dashboards for this canary, from URL templates configured for its cluster. */
  links?: CanaryLink[];
  /**
   * What differs between the promoted revision (`<target>-primary`) and the one under analysis
   * (the target), while the primary still runs the promoted one: phases Waiting, Progressing,
   * WaitingPromotion and Failed.
   */
  changes?: RolloutChanges;
}

/**
 * An entity's delivery state in one cluster.
 *
 * @public
 */
export interface ClusterDeliveryState {
  cluster: string;
  state: ClusterStatus['state'];
  errors: ClusterError[];
  /** Kinds whose CRD is not installed in this cluster. */
  notInstalled: string[];
  canaries: CanaryState[];
  workloads: WorkloadSummary[];
  /** Kustomizations, HelmReleases and their sources, in delivery order (sources last). */
  flux: FluxResource[];
}

/**
 * Why an entity has no delivery state, for the UI to explain.
 *
 * @public
 */
export interface DeliveryExplanation {
  reason: 'noAnnotations' | 'invalidAnnotations' | 'noObjects';
  message: string;
  annotations: string[];
}

/**
 * Response of `GET /v1/entities/{kind}/{namespace}/{name}`.
 *
 * @public
 */
export interface EntityDeliveryState {
  entityRef: string;
  generatedAt: string;
  /** Set when nothing could be resolved, with the reason. */
  explanation?: DeliveryExplanation;
  clusters: ClusterDeliveryState[];
}

/**
 * One row of `GET /v1/canaries`.
 *
 * @public
 */
export interface CanarySummary {
  ref: ObjectRef;
  entityRefs: string[];
  target?: { kind: string; name: string };
  progress: CanaryProgress;
}

/**
 * Response of `GET /v1/canaries`.
 *
 * @public
 */
export interface CanaryListResponse {
  items: CanarySummary[];
}

/**
 * Response of `GET /v1/clusters`.
 *
 * @public
 */
export interface ClusterListResponse {
  items: ClusterStatus[];
}

/**
 * A message on the live-update stream (`GET /v1/entities/{kind}/{namespace}/{name}/events`).
 *
 * @public
 */
export interface DeliveryUpdateMessage {
  type: 'state';
  state: EntityDeliveryState;
}
