import { Condition } from '../types';
import { isoTime } from '../util/time';

/** Condition handling as fluxcd/pkg runtime/conditions does it. */

/** A condition without its transition time (setCondition fills it in). */
export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>;

/**
 * Sets a condition, keeping lastTransitionTime when the status did not
 * change.
 */
export function setCondition(
  conditions: Condition[],
  next: ConditionUpdate,
  now: number,
): Condition[] {
  const existing = conditions.find(c => c.type === next.type);
  const updated: Condition = {
    ...next,
    lastTransitionTime:
      existing && existing.status === next.status && existing.lastTransitionTime
        ? existing.lastTransitionTime
        : isoTime(now),
  };
  const others = conditions.filter(c => c.type !== next.type);
  // Ready first, as kstatus-aware tools expect; the rest keep their order.
  return next.type === 'Ready' ? [updated, ...others] : [...others, updated];
}

/** Sets several conditions in order. */
export function setConditions(
  conditions: Condition[],
  updates: ConditionUpdate[],
  now: number,
): Condition[] {
  return updates.reduce(
    (result, u) => setCondition(result, u, now),
    conditions,
  );
}

export function condition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  observedGeneration?: number,
): ConditionUpdate {
  return { type, status, reason, message, observedGeneration };
}

export function removeCondition(
  conditions: Condition[],
  type: string,
): Condition[] {
  return conditions.filter(c => c.type !== type);
}

/** The conditions of a status block being written. */
export function conditionsOf(status: Record<string, unknown>): Condition[] {
  return (status.conditions as Condition[] | undefined) ?? [];
}
