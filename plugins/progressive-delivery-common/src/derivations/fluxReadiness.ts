import { FluxReadiness, ObjectProblem } from '../api';
import { KubeObject } from '../kubernetes';
import { readConditions } from './conditions';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  readPath,
} from './read';

function latestHistory(status: Record<string, unknown> | undefined) {
  return asRecord(asArray(status?.history)?.[0]);
}

/** The revision an object actually runs, per Flux kind. */
function appliedRevision(
  kind: string | undefined,
  status: Record<string, unknown> | undefined,
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
  status: Record<string, unknown> | undefined,
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

/**
 * Derives a Flux object's readiness from its conditions (Ready, Healthy, Stalled, Reconciling),
 * `spec.suspend`, and its applied and attempted revisions. Works for Kustomizations,
 * HelmReleases and sources. Never throws.
 *
 * @public
 */
export function deriveFluxReadiness(object: KubeObject): FluxReadiness {
  const problems: ObjectProblem[] = [];
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
  const conditions = readConditions(status);
  const find = (type: string) => conditions.find(c => c.type === type);
  const ready = find('Ready');
  const healthy = find('Healthy');
  const stalled = find('Stalled');
  const reconciling = find('Reconciling');
  const suspended = asBoolean(readPath(object.spec, 'suspend')) === true;

  const applied = appliedRevision(object.kind, status);
  const attempted = asString(status?.lastAttemptedRevision);
  const generation = object.metadata?.generation;
  const observedGeneration = asNumber(status?.observedGeneration);

  let healthCheckFailure: string | undefined;
  if (healthy?.status === 'False') {
    healthCheckFailure = healthy.message;
  } else if (
    ready?.status === 'False' &&
    ready.reason === 'HealthCheckFailed'
  ) {
    healthCheckFailure = ready.message;
  }

  let state: FluxReadiness['status'] = 'unknown';
  if (suspended) {
    state = 'suspended';
  } else if (stalled?.status === 'True') {
    state = 'stalled';
  } else if (ready?.status === 'True') {
    state = 'ready';
  } else if (ready?.status === 'False') {
    // Flux keeps Ready=False while retrying; Reconciling=True means it is still trying.
    state =
      reconciling?.status === 'True' && !healthCheckFailure
        ? 'progressing'
        : 'failed';
  } else if (ready?.status === 'Unknown' || reconciling?.status === 'True') {
    state = 'progressing';
  }

  return {
    status: state,
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
