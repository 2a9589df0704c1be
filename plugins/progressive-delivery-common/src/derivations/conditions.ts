import { asArray, asRecord, asString } from './read';

/**
 * A `metav1.Condition` as Flux and Flagger write them.
 *
 * @public
 */
export interface KubeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * Reads `status.conditions`, skipping malformed entries.
 *
 * @public
 */
export function readConditions(status: unknown): KubeCondition[] {
  const result: KubeCondition[] = [];
  for (const raw of asArray(asRecord(status)?.conditions) ?? []) {
    const condition = asRecord(raw);
    const type = asString(condition?.type);
    const conditionStatus = asString(condition?.status);
    if (
      !condition ||
      !type ||
      (conditionStatus !== 'True' &&
        conditionStatus !== 'False' &&
        conditionStatus !== 'Unknown')
    ) {
      continue;
    }
    result.push({
      type,
      status: conditionStatus,
      reason: asString(condition.reason),
      message: asString(condition.message),
      lastTransitionTime: asString(condition.lastTransitionTime),
      observedGeneration:
        typeof condition.observedGeneration === 'number'
          ? condition.observedGeneration
          : undefined,
    });
  }
  return result;
}
