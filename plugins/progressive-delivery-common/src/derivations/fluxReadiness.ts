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
  healthCheckFailure: string | undefined,
): FluxReadiness['status'] {
  if (suspended) {
    return 'suspended';
  }
  if (stalled?.status === 'True') {
    return 'stalled';
  }
  if (ready?.status === 'True') {
    return 'ready';
  }
  if (ready?.status === 'False') {
    // Flux keeps Ready=False while retrying; Reconciling=True means it is still trying.
    return reconciling?.status === 'True' && !healthCheckFailure
      ? 'progressing'
      : 'failed';
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
    status: stateOf(found, suspended, healthCheckFailure),
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
    revisionPending: attempted !== undefined && attempted !== applied,
    stale:
      generation !== undefined &&
      observedGeneration !== undefined &&
      observedGeneration < generation,
    lastReconciledAt: lastReconciledAt(status, ready?.lastTransitionTime),
    problems,
  };
}
