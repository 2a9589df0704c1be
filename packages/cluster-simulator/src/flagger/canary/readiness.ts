import { Canary } from '../model';
import { canaryId, primaryName, targetId } from '../names';
import { Deployment } from './DeploymentController';

/** isDeploymentReady (pkg/canary/ready.go): why a rollout is unfinished, if it is. */
export function deploymentNotReady(dep: Deployment): string | undefined {
  const status = dep.status ?? {};
  if ((dep.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return 'waiting for rollout to finish: observed deployment generation less than desired generation';
  }
  const desired = dep.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < desired) {
    return `waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated`;
  }
  if ((status.replicas ?? 0) > updated) {
    return `waiting for rollout to finish: ${
      (status.replicas ?? 0) - updated
    } old replicas are pending termination`;
  }
  const available = status.availableReplicas ?? 0;
  if (available < updated) {
    return `waiting for rollout to finish: ${available} of ${updated} (readyThreshold 100%) updated replicas are available`;
  }
  return undefined;
}

/** IsPrimaryReady: the error Flagger halts on while the primary is missing, rolling or at zero. */
export function primaryNotReady(
  cd: Canary,
  primary: Deployment | undefined,
): string | undefined {
  const name = primaryName(cd);
  const ns = cd.metadata.namespace;
  if (!primary) {
    return `deployment ${name}.${ns} get query error: deployments.apps "${name}" not found`;
  }
  const err = deploymentNotReady(primary);
  if (err) return `${name}.${ns} not ready: ${err}`;
  if (primary.spec.replicas === 0) {
    return `halt ${canaryId(
      cd,
    )} advancement: primary deployment is scaled to zero`;
  }
  return undefined;
}

/** IsCanaryReady: the error Flagger halts on while the target is rolling. */
export function canaryNotReady(
  cd: Canary,
  target: Deployment,
): string | undefined {
  const err = deploymentNotReady(target);
  return err
    ? `canary deployment ${targetId(cd)} not ready: ${err}`
    : undefined;
}
