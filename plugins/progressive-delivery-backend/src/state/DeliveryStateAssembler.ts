import {
  asString,
  CanaryAnalysisEvidence,
  CanaryLink,
  CanaryState,
  ClusterDeliveryState,
  ClusterStatus,
  currentRolloutEvents,
  deriveCanaryEvents,
  deriveCanaryProgress,
  deriveFluxReadiness,
  deriveWorkloadSummary,
  FluxResource,
  fluxSourceRefs,
  isFlaggerEventFor,
  KubeObject,
  ObjectRef,
  readCanaryTargetRef,
  readPath,
  RolloutChanges,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ResolvedCanary, ResolvedCluster } from '../resolve/EntityResolver';
import { canaryRouting } from '../resolve/canaryRouting';

/**
 * What was measured of a canary's analysis, and its dashboard links. The composition root
 * passes the analysis evaluator; the state reads its memory only.
 */
export interface CanaryEvidenceReader {
  evidenceOf(
    cluster: string,
    canary: KubeObject,
  ): { analysis?: CanaryAnalysisEvidence; links?: CanaryLink[] };
}

/**
 * What the revision under analysis changes against the promoted one. The composition root
 * passes the history's RolloutChangesService; the state reads its memory only.
 */
export interface CanaryChangesReader {
  changesOf(
    cluster: string,
    resolved: ResolvedCanary,
  ): RolloutChanges | undefined;
}

function refOf(cluster: string, object: KubeObject): ObjectRef {
  return {
    cluster,
    kind: object.kind ?? '',
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
  };
}

function podLabels(
  workload: KubeObject | undefined,
): Record<string, string> | undefined {
  const labels = (
    workload?.spec as
      | { template?: { metadata?: { labels?: unknown } } }
      | undefined
  )?.template?.metadata?.labels;
  return labels && typeof labels === 'object'
    ? (labels as Record<string, string>)
    : undefined;
}

/** Derives one canary's state from its resolved objects. */
export function assembleCanary(
  cluster: string,
  resolved: ResolvedCanary,
  istioRootNamespace: string,
  now: Date,
  evidence?: CanaryEvidenceReader,
  changes?: CanaryChangesReader,
): CanaryState {
  const { canary } = resolved;
  const ref = refOf(cluster, canary);
  const events = currentRolloutEvents(
    deriveCanaryEvents(resolved.events.filter(e => isFlaggerEventFor(e, ref))),
  );
  const routing = canaryRouting(resolved, {
    // Traffic is served by the primary; its pods are what policies select.
    workloadLabels: podLabels(resolved.primary) ?? podLabels(resolved.target),
    peerAuthentications: resolved.peerAuthentications,
    authorizationPolicies: resolved.authorizationPolicies,
    sidecars: resolved.sidecars,
    rootNamespace: istioRootNamespace,
  });
  const targetRef = readCanaryTargetRef(canary);
  const state: CanaryState = {
    ref,
    target: targetRef && { kind: targetRef.kind, name: targetRef.name },
    progress: deriveCanaryProgress(canary, {
      events,
      // The split the router object routes, which Flagger's status.canaryWeight is not always.
      mirrored: routing?.mirrored,
      routedWeights: routing && {
        primary: routing.primaryWeight,
        canary: routing.canaryWeight,
      },
      metricTemplates: resolved.metricTemplates,
      alertProviders: resolved.alertProviders,
      now,
    }),
    fluxOwner: resolved.fluxOwner && refOf(cluster, resolved.fluxOwner),
    routing,
    events,
  };
  const measured = evidence?.evidenceOf(cluster, canary);
  if (measured?.analysis) {
    state.analysis = measured.analysis;
  }
  if (measured?.links) {
    state.links = measured.links;
  }
  const changed = changes?.changesOf(cluster, resolved);
  if (changed) {
    state.changes = changed;
  }
  return state;
}

function assembleFlux(cluster: string, object: KubeObject): FluxResource {
  const { sourceRef, chartRef } = fluxSourceRefs(object);
  return {
    ref: refOf(cluster, object),
    apiVersion: object.apiVersion ?? '',
    sourceRef: sourceRef && { cluster, ...sourceRef },
    chartRef: chartRef && { cluster, ...chartRef },
    url: asString(readPath(object.spec, 'url')),
    readiness: deriveFluxReadiness(object),
  };
}

/** Derives an entity's state in one cluster. */
export function assembleCluster(
  resolved: ResolvedCluster,
  status: ClusterStatus | undefined,
  istioRootNamespace: string,
  now: Date,
  evidence?: CanaryEvidenceReader,
  changes?: CanaryChangesReader,
): ClusterDeliveryState {
  return {
    cluster: resolved.cluster,
    state: status?.state ?? 'pending',
    errors: status?.errors ?? [],
    notInstalled: (status?.kinds ?? [])
      .filter(k => k.state === 'notInstalled')
      .map(k => k.kind),
    canaries: resolved.canaries.map(c =>
      assembleCanary(
        resolved.cluster,
        c,
        istioRootNamespace,
        now,
        evidence,
        changes,
      ),
    ),
    workloads: resolved.workloads.map(w =>
      deriveWorkloadSummary(resolved.cluster, w),
    ),
    flux: resolved.flux.map(f => assembleFlux(resolved.cluster, f)),
  };
}
