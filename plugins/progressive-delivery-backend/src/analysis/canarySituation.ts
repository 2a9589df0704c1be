import {
  asArray,
  asNumber,
  asRecord,
  asString,
  CanaryEvent,
  currentRolloutEvents,
  deriveCanaryEvents,
  deriveCanaryProgress,
  isFlaggerEventFor,
  KubeObject,
  readPath,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ResolvedCanary } from '../resolve/EntityResolver';
import { canaryRouting } from '../resolve/canaryRouting';

/**
 * The phases in which Flagger runs a canary's metric checks: fluxcd/flagger v1.44.0
 * (15bd6ad555e6c935da55f0ab95977be74c149bd6) pkg/controller/scheduler.go advanceCanary reaches
 * runAnalysis only after checkCanaryStatus, which lets Progressing, WaitingPromotion, Promoting
 * and Finalising through; Promoting and Finalising return before the analysis (traffic shift
 * back, scale to zero), and Waiting stops at the confirm-rollout gate. So: Progressing, and
 * WaitingPromotion (the checks keep running while the promotion gate is closed).
 */
export const ANALYSIS_PHASES: ReadonlySet<string> = new Set([
  'Progressing',
  'WaitingPromotion',
]);

/** What the evaluator needs to know of a canary at one moment. */
export interface CanarySituation {
  phase: string;
  /** Flagger runs (or would run) the metric checks in this phase. */
  underAnalysis: boolean;
  /**
   * Flagger runs the checks now: not at weight 0 before the first iteration (it runs the
   * pre-rollout hooks then, scheduler.go: `canaryWeight == 0 && cd.Status.Iterations == 0 &&
   * !(mirror && mirrored)`), and not with skipAnalysis.
   */
  runsChecks: boolean;
  /** The analysis interval (Flagger's GetAnalysisInterval: default 60s, at least 10s). */
  intervalMs: number;
  /** Traffic routed to the canary now (percent), from the router object when there is one. */
  canaryWeight: number;
  /** `status.lastAppliedSpec`: the revision under analysis. */
  revision: string;
  /** When the rollout began (ms), when known. */
  rolloutStartMs?: number;
  /** The current rollout's Flagger events, newest first. */
  events: CanaryEvent[];
}

/**
 * When the rollout began: the Promoted condition's lastTransitionTime while its status is
 * Unknown (Flagger's MakeStatusConditions keeps the time while the status stays Unknown, from
 * Waiting or Progressing through Finalising; pkg/canary/status.go), else the oldest event of
 * the current rollout. `status.lastTransitionTime` moves at every weight step, so it is not used.
 */
export function rolloutStartMs(
  canary: KubeObject,
  events: CanaryEvent[],
): number | undefined {
  const promoted = (asArray(readPath(canary.status, 'conditions')) ?? [])
    .map(asRecord)
    .find(c => c?.type === 'Promoted');
  if (promoted?.status === 'Unknown') {
    const at = Date.parse(asString(promoted.lastTransitionTime) ?? '');
    if (Number.isFinite(at)) {
      return at;
    }
  }
  const oldest = events[events.length - 1];
  const at = oldest ? Date.parse(oldest.timestamp) : NaN;
  return Number.isFinite(at) ? at : undefined;
}

/**
 * The canary weight at a past moment, from the current rollout's "Advance <canary> canary
 * weight N" events (scheduler.go runCanary): the last advance at or before `atMs`, 0 before the
 * first. Undefined when the rollout has no such event (another strategy, or events expired).
 */
export function weightAt(
  events: CanaryEvent[],
  atMs: number,
): number | undefined {
  let weight: number | undefined;
  let latest = -Infinity;
  let any = false;
  for (const event of events) {
    const match = /canary weight (\d+)$/.exec(event.message);
    if (event.category !== 'advance' || !match) {
      continue;
    }
    any = true;
    const at = Date.parse(event.timestamp);
    if (at <= atMs && at > latest) {
      latest = at;
      weight = Number(match[1]);
    }
  }
  if (!any) {
    return undefined;
  }
  return weight ?? 0;
}

/** Reads a resolved canary as the evaluator sees it, with the derivations the state uses. */
export function canarySituation(
  cluster: string,
  resolved: ResolvedCanary,
  now: Date,
): CanarySituation {
  const { canary } = resolved;
  const ref = {
    cluster,
    kind: 'Canary',
    namespace: canary.metadata?.namespace ?? '',
    name: canary.metadata?.name ?? '',
  };
  const events = currentRolloutEvents(
    deriveCanaryEvents(resolved.events.filter(e => isFlaggerEventFor(e, ref))),
  );
  // The split the router object routes, as the delivery state reads it (weights only: the
  // policies around the workload do not change them).
  const routing = canaryRouting(resolved);
  const progress = deriveCanaryProgress(canary, {
    events,
    mirrored: routing?.mirrored,
    routedWeights: routing && {
      primary: routing.primaryWeight,
      canary: routing.canaryWeight,
    },
    now,
  });
  const phase = asString(readPath(canary.status, 'phase')) ?? '';
  const iterations = asNumber(readPath(canary.status, 'iterations')) ?? 0;
  const underAnalysis = ANALYSIS_PHASES.has(phase) && !progress.skipAnalysis;
  const idle =
    progress.canaryWeight === 0 &&
    iterations === 0 &&
    !(progress.mirroring && routing?.mirrored === true);
  return {
    phase,
    underAnalysis,
    runsChecks: underAnalysis && !idle,
    intervalMs: progress.intervalMs,
    canaryWeight: progress.canaryWeight,
    revision: asString(readPath(canary.status, 'lastAppliedSpec')) ?? '',
    rolloutStartMs: rolloutStartMs(canary, events),
    events,
  };
}
