// Flagger's canary phases, as its controller writes them to `status.phase`
// (fluxcd/flagger v1.44, pkg/apis/flagger/v1beta1/status.go). Every package that reasons about
// a phase reads it from here.

/**
 * A value of a Canary's `status.phase`. The empty string is the phase of a canary Flagger has
 * not picked up yet.
 *
 * @public
 */
export type CanaryPhase =
  | ''
  | 'Initializing'
  | 'Initialized'
  | 'Waiting'
  | 'Progressing'
  | 'WaitingPromotion'
  | 'Promoting'
  | 'Finalising'
  | 'Succeeded'
  | 'Failed'
  | 'Terminating'
  | 'Terminated';

/**
 * Each phase in words, for people.
 *
 * @public
 */
export const CANARY_PHASE_DESCRIPTIONS: Readonly<Record<CanaryPhase, string>> =
  {
    '': 'Flagger has not picked up this canary yet.',
    Initializing: 'Flagger is creating the primary workload and services.',
    Initialized:
      'Ready: the primary serves all traffic; waiting for a new revision.',
    Waiting: 'A new revision is waiting for rollout approval.',
    Progressing:
      'A new revision is under analysis; traffic is shifting to the canary.',
    WaitingPromotion: 'Analysis passed; promotion waits for approval.',
    Promoting: 'Analysis passed; the canary is being copied to the primary.',
    Finalising:
      'Promotion done; traffic returns to the primary and the canary scales down.',
    Succeeded: 'The last revision was promoted.',
    Failed: 'The last revision failed analysis and was rolled back.',
    Terminating:
      'The canary is being deleted; Flagger restores the original workload.',
    Terminated: 'The canary was deleted and the original workload restored.',
  };

/**
 * Phases in which Flagger works on a revision: from the rollout gate to the end of promotion.
 *
 * @public
 */
export const ROLLOUT_PHASES: ReadonlySet<string> = new Set<CanaryPhase>([
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
]);

/**
 * Phases that end a rollout.
 *
 * @public
 */
export const ENDED_PHASES: ReadonlySet<string> = new Set<CanaryPhase>([
  'Succeeded',
  'Failed',
]);

/**
 * Phases in which a rollout is past its analysis and promotes the canary.
 *
 * @public
 */
export const PROMOTION_PHASES: ReadonlySet<string> = new Set<CanaryPhase>([
  'WaitingPromotion',
  'Promoting',
  'Finalising',
]);

/**
 * Phases in which Flagger runs the rollback hooks, so a rollback gate can take effect
 * (scheduler.go checks them only while a revision is analysed).
 *
 * @public
 */
export const ROLLBACK_HOOK_PHASES: ReadonlySet<string> = new Set<CanaryPhase>([
  'Progressing',
  'Waiting',
  'WaitingPromotion',
]);

/**
 * Whether `phase` is one Flagger writes.
 *
 * @public
 */
export function isCanaryPhase(phase: unknown): phase is CanaryPhase {
  return (
    typeof phase === 'string' &&
    Object.prototype.hasOwnProperty.call(CANARY_PHASE_DESCRIPTIONS, phase)
  );
}
