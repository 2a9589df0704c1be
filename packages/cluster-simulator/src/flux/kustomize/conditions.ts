import { Condition } from '../../types';
import { goDuration } from '../../util/time';
import {
  condition,
  removeCondition,
  setCondition,
  setConditions,
} from '../conditions';

/** Kustomization conditions with kustomize-controller v1.9's reasons and messages. */

/** Ready (and Healthy, with health checks) of a Kustomization that applied `revision`. */
export function appliedConditions(
  conditions: Condition[],
  revision: string,
  healthCheckDuration: string | undefined,
  generation: number | undefined,
  now: number,
): Condition[] {
  const result = setCondition(
    removeCondition(conditions, 'Reconciling'),
    condition(
      'Ready',
      'True',
      'ReconciliationSucceeded',
      `Applied revision: ${revision}`,
      generation,
    ),
    now,
  );
  if (healthCheckDuration === undefined)
    return removeCondition(result, 'Healthy');
  return setCondition(
    result,
    condition(
      'Healthy',
      'True',
      'Succeeded',
      `Health check passed in ${healthCheckDuration}`,
      generation,
    ),
    now,
  );
}

function runningHealthChecks(revision: string, timeoutMs: number): string {
  return `Running health checks for revision ${revision} with a timeout of ${goDuration(
    timeoutMs,
  )}`;
}

/** While health checks of `revision` run. */
export function healthCheckingConditions(
  conditions: Condition[],
  revision: string,
  timeoutMs: number,
  generation: number | undefined,
  now: number,
): Condition[] {
  const message = runningHealthChecks(revision, timeoutMs);
  return setConditions(
    conditions,
    [
      condition('Reconciling', 'True', 'Progressing', message, generation),
      condition(
        'Ready',
        'Unknown',
        'Progressing',
        'Reconciliation in progress',
        generation,
      ),
      condition('Healthy', 'Unknown', 'Progressing', message, generation),
    ],
    now,
  );
}

/** After health checks of `revision` timed out. */
export function healthCheckFailedConditions(
  conditions: Condition[],
  failure: {
    revision: string;
    timeoutMs: number;
    readyMessage: string;
    healthMessage: string;
  },
  generation: number | undefined,
  now: number,
): Condition[] {
  return setConditions(
    conditions,
    [
      condition(
        'Reconciling',
        'True',
        'ProgressingWithRetry',
        runningHealthChecks(failure.revision, failure.timeoutMs),
        generation,
      ),
      condition(
        'Ready',
        'False',
        'HealthCheckFailed',
        failure.readyMessage,
        generation,
      ),
      condition(
        'Healthy',
        'False',
        'HealthCheckFailed',
        failure.healthMessage,
        generation,
      ),
    ],
    now,
  );
}
