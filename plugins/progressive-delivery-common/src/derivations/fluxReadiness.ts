import { FluxReadiness, ObjectProblem } from '../api';
import { KubeObject } from '../kubernetes';
import { KubeCondition, readConditions } from './conditions';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  readPath,
  UnknownRecord,
} from './read';

function latestHistory(status: UnknownRecord | undefined) {
  return asRecord(asArray(status?.history)?.[0]);
}

/** The revision an object actually runs, per Flux kind. */
function appliedRevision(
  kind: string | undefined,
  status: UnknownRecord | undefined,
): string | undefined {
  switch (kind) {
    case 'Kustomization':
      return asString(status?.lastAppliedRevision);
    case 'HelmRelease': {
      // helm-controller v2 keeps releases in status.history, newest first; a failed upgrade
      // is recorded there too, so the running release is the newest deployed one.
      const deployed = (asArray(status?.history) ?? [])
        .map(asRecord)
        .find(entry => asString(entry?.status) === 'deployed');
      return (
        asString(deployed?.chartVersion) ??
        asString(status?.lastAppliedRevision)
      );
    }
    default:
      return asString(readPath(status, 'artifact', 'revision'));
  }
}

/**
 * A HelmRepository of type oci is a static data container: source-controller writes no status
 * for it (helmrepository_controller.go migrationToStatic) and its existence means ready.
 */
function isStaticSource(object: KubeObject): boolean {
  return (
    object.kind === 'HelmRepository' &&
    asString(readPath(object.spec, 'type')) === 'oci'
  );
}

/** The OCI annotation that carries the Git revision an artifact was built from. */
const OCI_REVISION = 'org.opencontainers.image.revision';

/** The Git revision behind an OCI artifact, as the object reports it. */
function originRevision(
  kind: string | undefined,
  status: UnknownRecord | undefined,
): string | undefined {
  if (kind === 'Kustomization') {
    return asString(status?.lastAppliedOriginRevision);
  }
  return asString(readPath(status, 'artifact', 'metadata', OCI_REVISION));
}

function lastReconciledAt(
  status: UnknownRecord | undefined,
  readyTransition: string | undefined,
): string | undefined {
  const latest = latestHistory(status);
  return (
    asString(latest?.lastReconciled) ??
    asString(latest?.lastDeployed) ??
    asString(readPath(status, 'artifact', 'lastUpdateTime')) ??
    readyTransition
  );
}

function readStatus(
  object: KubeObject,
  problems: ObjectProblem[],
): UnknownRecord | undefined {
  const status = asRecord(object.status);
  if (object.status === undefined) {
    if (isStaticSource(object)) {
      return undefined;
    }
    problems.push({
      field: 'status',
      message:
        'no status yet: the Flux controller has not reconciled this object',
    });
  } else if (!status) {
    problems.push({ field: 'status', message: 'status is not an object' });
  } else if (
    status.conditions !== undefined &&
    !Array.isArray(status.conditions)
  ) {
    problems.push({
      field: 'status.conditions',
      message: 'conditions is not a list',
    });
  }
  return status;
}

interface FluxConditions {
  ready?: KubeCondition;
  healthy?: KubeCondition;
  stalled?: KubeCondition;
  reconciling?: KubeCondition;
}

function healthCheckFailureOf({
  ready,
  healthy,
}: FluxConditions): string | undefined {
  if (healthy?.status === 'False') {
    return healthy.message;
  }
  if (ready?.status === 'False' && ready.reason === 'HealthCheckFailed') {
    return ready.message;
  }
  return undefined;
}

function stateOf(
  { ready, stalled, reconciling }: FluxConditions,
  suspended: boolean,
  staticSource: boolean,
): FluxReadiness['status'] {
  if (suspended) {
    return 'suspended';
  }
  if (staticSource && !ready) {
    return 'ready';
  }
  if (stalled?.status === 'True') {
    return 'stalled';
  }
  if (ready?.status === 'True') {
    return 'ready';
  }
  if (ready?.status === 'False') {
    // The last attempt failed, even when Reconciling=True (reason ProgressingWithRetry): that
    // only says Flux will retry (kustomize-controller finalizeStatus, fluxcd/pkg conditions).
    return 'failed';
  }
  if (ready?.status === 'Unknown' || reconciling?.status === 'True') {
    return 'progressing';
  }
  return 'unknown';
}

/**
 * Derives a Flux object's readiness from its conditions (Ready, Healthy, Stalled, Reconciling),
 * `spec.suspend`, and its applied and attempted revisions. Works for Kustomizations,
 * HelmReleases and sources. Never throws.
 *
 * @public
 */
export function deriveFluxReadiness(object: KubeObject): FluxReadiness {
  const problems: ObjectProblem[] = [];
  const status = readStatus(object, problems);
  const conditions = readConditions(status);
  const find = (type: string) => conditions.find(c => c.type === type);
  const found: FluxConditions = {
    ready: find('Ready'),
    healthy: find('Healthy'),
    stalled: find('Stalled'),
    reconciling: find('Reconciling'),
  };
  const { ready, healthy, stalled, reconciling } = found;
  const suspended = asBoolean(readPath(object.spec, 'suspend')) === true;
  const applied = appliedRevision(object.kind, status);
  const attempted = asString(status?.lastAttemptedRevision);
  const generation = object.metadata?.generation;
  const observedGeneration = asNumber(status?.observedGeneration);
  const healthCheckFailure = healthCheckFailureOf(found);

  return {
    status: stateOf(found, suspended, isStaticSource(object)),
    ready: ready?.status,
    readyReason: ready?.reason,
    readyMessage: ready?.message,
    healthy: healthy?.status,
    healthCheckFailure,
    stalled: stalled?.status === 'True',
    stalledMessage: stalled?.status === 'True' ? stalled.message : undefined,
    reconciling: reconciling?.status === 'True',
    suspended,
    appliedRevision: applied,
    attemptedRevision: attempted,
    originRevision: originRevision(object.kind, status),
    revisionPending: attempted !== undefined && attempted !== applied,
    stale:
      generation !== undefined &&
      observedGeneration !== undefined &&
      observedGeneration < generation,
    lastReconciledAt: lastReconciledAt(status, ready?.lastTransitionTime),
    problems,
  };
}
