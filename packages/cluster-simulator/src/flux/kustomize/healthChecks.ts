import { ObjectStore } from '../../api/ObjectStore';
import { KubeObject } from '../../types';

/** A `spec.healthChecks` entry. */
export interface HealthCheck {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** The object's kstatus as kustomize-controller's health checks see it. */
export type HealthStatus = 'Current' | 'InProgress' | 'Failed' | 'NotFound';

export function healthStatus(
  store: ObjectStore,
  check: HealthCheck,
): HealthStatus {
  let obj: KubeObject | undefined;
  try {
    obj = store.getByKind(
      check.apiVersion ?? 'apps/v1',
      check.kind,
      check.namespace,
      check.name,
    );
  } catch {
    return 'NotFound';
  }
  if (!obj) return 'NotFound';
  if (check.kind === 'Deployment') return deploymentStatus(obj);
  if (check.kind === 'Canary') return canaryStatus(obj);
  return 'Current';
}

function deploymentStatus(obj: KubeObject): HealthStatus {
  const spec = obj.spec as { replicas?: number };
  const status = (obj.status ?? {}) as {
    observedGeneration?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
  };
  const desired = spec.replicas ?? 1;
  if ((status.observedGeneration ?? 0) < (obj.metadata.generation ?? 1))
    return 'InProgress';
  return (status.availableReplicas ?? 0) >= desired &&
    (status.updatedReplicas ?? 0) >= desired
    ? 'Current'
    : 'InProgress';
}

function canaryStatus(obj: KubeObject): HealthStatus {
  const phase = (obj.status as { phase?: string } | undefined)?.phase ?? '';
  if (phase === 'Failed') return 'Failed';
  return ['Initialized', 'Succeeded'].includes(phase)
    ? 'Current'
    : 'InProgress';
}
