import { CanaryEvent, CanaryGate, CanaryProgress, ObjectProblem } from '../api';
import {
  CANARY_PHASE_DESCRIPTIONS,
  isCanaryPhase,
  PROMOTION_PHASES,
  ROLLOUT_PHASES,
} from '../flagger/phases';
import { KubeObject } from '../kubernetes';
import {
  AnalysisSpec,
  analysisRecord,
  readAnalysis,
  TOTAL_WEIGHT,
} from './canaryAnalysis';
import { readAlerts } from './canaryAlerts';
import { readMetrics } from './canaryMetrics';
import {
  currentStep,
  placeSteps,
  planSteps,
  PlannedStep,
  remainingIntervals,
} from './canarySteps';
import { readWebhooks } from './canaryWebhooks';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  UnknownRecord,
} from './read';

/**
 * Options of {@link deriveCanaryProgress}.
 *
 * @public
 */
export interface DeriveCanaryProgressOptions {
  /** Flagger events of this canary, newest first (see `deriveCanaryEvents`). */
  events?: CanaryEvent[];
  /** Whether the router object (VirtualService, HTTPRoute) mirrors traffic to the canary. */
  mirrored?: boolean;
  /**
   * The weights the router object routes (`IstioRouting` primaryWeight/canaryWeight). Flagger
   * zeroes `status.canaryWeight` in several phases while traffic still flows to the canary, so
   * routed weights are the truth when known. Ignored for providers whose router is not read
   * (anything but istio, gatewayapi and the mesh default): their split comes from the status.
   */
  routedWeights?: { primary?: number; canary?: number };
  /** MetricTemplates the canary's metrics may reference; each `templateRef` is resolved. */
  metricTemplates?: KubeObject[];
  /** AlertProviders the canary's alerts may reference; each `providerRef` is resolved. */
  alertProviders?: KubeObject[];
  /** The current time, for the completion estimate. */
  now?: Date;
}

/** The fields of a canary's status the progress is derived from. */
interface CanaryStatus {
  status: UnknownRecord | undefined;
  phase: string;
  canaryWeight: number;
  failedChecks: number;
  iterations: number;
}

function readSpec(
  canary: KubeObject,
  problems: ObjectProblem[],
): UnknownRecord | undefined {
  const spec = asRecord(canary.spec);
  if (!spec) {
    problems.push({ field: 'spec', message: 'the canary has no spec' });
  } else if (!asRecord(spec.targetRef)) {
    problems.push({
      field: 'spec.targetRef',
      message: 'the canary names no target workload',
    });
  }
  return spec;
}

function readStatus(
  canary: KubeObject,
  problems: ObjectProblem[],
): CanaryStatus {
  const status = asRecord(canary.status);
  if (canary.status === undefined) {
    problems.push({
      field: 'status',
      message: 'no status yet: Flagger has not initialised this canary',
    });
  } else if (!status) {
    problems.push({ field: 'status', message: 'status is not an object' });
  }
  const rawPhase = status?.phase;
  if (rawPhase !== undefined && typeof rawPhase !== 'string') {
    problems.push({ field: 'status.phase', message: 'phase is not a string' });
  }
  const readNumber = (field: string): number => {
    const value = status?.[field];
    if (value === undefined) {
      return 0;
    }
    const number = asNumber(value);
    if (number === undefined) {
      problems.push({
        field: `status.${field}`,
        message: `${field} is not a number`,
      });
      return 0;
    }
    return number;
  };
  return {
    status,
    phase: asString(rawPhase) ?? '',
    canaryWeight: readNumber('canaryWeight'),
    failedChecks: readNumber('failedChecks'),
    iterations: readNumber('iterations'),
  };
}

function activityOf(
  phase: string,
  gates: CanaryGate[],
): CanaryProgress['activity'] {
  if (phase === 'Succeeded') {
    return 'succeeded';
  }
  if (phase === 'Failed') {
    return 'failed';
  }
  if (
    gates.some(g => g.waiting) ||
    phase === 'Waiting' ||
    phase === 'WaitingPromotion'
  ) {
    return 'waiting';
  }
  return ROLLOUT_PHASES.has(phase) ? 'active' : 'idle';
}

/** How traffic moves while a blue/green or A/B revision is analysed (Progressing). */
function describeIterations(
  analysis: AnalysisSpec,
  canaryWeight: number,
): string | undefined {
  if (analysis.strategy === 'abTesting') {
    return 'A new revision is under A/B testing: requests that meet the match conditions go to the canary, all others stay on the primary.';
  }
  if (analysis.strategy !== 'blueGreen') {
    return undefined;
  }
  if (canaryWeight >= TOTAL_WEIGHT) {
    return 'All iterations passed: all traffic is on the canary until it is promoted.';
  }
  return analysis.mirror
    ? 'A new revision is under blue/green analysis: live traffic stays on the primary and is mirrored to the canary.'
    : 'A new revision is under blue/green analysis: live traffic stays on the primary until all iterations pass.';
}

/**
 * The phase in words. Flagger marks a failed promotion Failed too but leaves traffic on the
 * canary (scheduler.go handleFailedPromotion): then it was not rolled back.
 */
function describePhase(
  phase: string,
  analysis: AnalysisSpec,
  canaryWeight: number,
): string {
  if (phase === 'Failed' && canaryWeight > 0) {
    return `Promotion failed: the primary did not become ready, so the canary still serves ${canaryWeight}% of traffic (not rolled back).`;
  }
  const iterating =
    phase === 'Progressing'
      ? describeIterations(analysis, canaryWeight)
      : undefined;
  if (iterating) {
    return iterating;
  }
  return isCanaryPhase(phase)
    ? CANARY_PHASE_DESCRIPTIONS[phase]
    : `Unrecognised Flagger phase "${phase}".`;
}

/** Providers whose router object is read for the weights (the mesh default included). */
function routerIsRead(provider: string | undefined): boolean {
  return (
    provider === undefined ||
    provider === 'istio' ||
    provider.startsWith('gatewayapi')
  );
}

/** The weights shown: the router's when read, else `status.canaryWeight`. */
function readWeights(
  provider: string | undefined,
  statusWeight: number,
  routed: DeriveCanaryProgressOptions['routedWeights'],
): Pick<CanaryProgress, 'canaryWeight' | 'primaryWeight' | 'weightSource'> {
  if (routed?.canary !== undefined && routerIsRead(provider)) {
    return {
      canaryWeight: routed.canary,
      primaryWeight: routed.primary ?? TOTAL_WEIGHT - routed.canary,
      weightSource: 'routing',
    };
  }
  return {
    canaryWeight: statusWeight,
    primaryWeight: TOTAL_WEIGHT - statusWeight,
    weightSource: 'status',
  };
}

/**
 * Iteration N of N at most: Flagger writes N+1 once blue/green routes all traffic to the canary
 * and -1 while a promotion waits; past the analysis every iteration is done.
 */
function readIterations(
  phase: string,
  iterations: number,
  total: number,
): CanaryProgress['iterations'] {
  const current = PROMOTION_PHASES.has(phase) ? total : iterations;
  return { current: Math.max(0, Math.min(current, total)), total };
}

function readRevision(
  status: UnknownRecord | undefined,
  phase: string,
): CanaryProgress['revision'] {
  const lastAppliedSpec = asString(status?.lastAppliedSpec);
  const lastPromotedSpec = asString(status?.lastPromotedSpec);
  return {
    lastAppliedSpec,
    lastPromotedSpec,
    underAnalysis:
      ROLLOUT_PHASES.has(phase) &&
      lastAppliedSpec !== undefined &&
      lastAppliedSpec !== lastPromotedSpec,
  };
}

function promotedConditionMessage(
  status: UnknownRecord | undefined,
): string | undefined {
  const promoted = (asArray(status?.conditions) ?? [])
    .map(asRecord)
    .find(c => asString(c?.type) === 'Promoted');
  return asString(promoted?.message);
}

/** Sets the time to completion on an active rollout, at the current interval. */
function estimateCompletion(
  progress: CanaryProgress,
  steps: PlannedStep[],
  analysis: AnalysisSpec,
  now: Date | undefined,
): void {
  const { activity, currentStepIndex: current, phase } = progress;
  if (activity !== 'active' || current === -1) {
    return;
  }
  const intervals = remainingIntervals(
    steps,
    current,
    phase,
    analysis,
    progress.canaryWeight,
  );
  progress.remainingMs = intervals * analysis.intervalMs;
  if (now) {
    progress.estimatedCompletionAt = new Date(
      now.getTime() + progress.remainingMs,
    ).toISOString();
  }
}

/**
 * Derives a Canary's rollout progress: strategy, full step list, current step, weights, failed
 * checks against the threshold, gates, and the time to completion at the current interval.
 * Never throws: fields it cannot read become `problems`.
 *
 * @public
 */
export function deriveCanaryProgress(
  canary: KubeObject,
  options: DeriveCanaryProgressOptions = {},
): CanaryProgress {
  const problems: ObjectProblem[] = [];
  const spec = readSpec(canary, problems);
  const analysis = readAnalysis(spec, problems);
  const { status, phase, ...counts } = readStatus(canary, problems);
  const provider = asString(spec?.provider);
  const weights = readWeights(
    provider,
    counts.canaryWeight,
    options.routedWeights,
  );
  const steps = planSteps(analysis, provider, problems);
  const current = currentStep(
    steps,
    analysis,
    phase,
    counts.canaryWeight,
    counts.iterations,
    options.mirrored ?? false,
  );
  const hooks = analysisRecord(spec);
  const { webhooks, gates } = readWebhooks(hooks, phase, options.events ?? []);
  const namespace = canary.metadata?.namespace ?? '';
  const progress: CanaryProgress = {
    phase: phase || 'Unknown',
    phaseDescription: describePhase(phase, analysis, weights.canaryWeight),
    activity: activityOf(phase, gates),
    strategy: analysis.strategy,
    mirroring: analysis.mirror,
    ...weights,
    provider,
    maxWeight: analysis.maxWeight,
    steps: placeSteps(steps, current, phase),
    currentStepIndex: current,
    failedChecks: counts.failedChecks,
    threshold: analysis.threshold,
    intervalMs: analysis.intervalMs,
    revision: readRevision(status, phase),
    lastTransitionTime: asString(status?.lastTransitionTime),
    conditionMessage: promotedConditionMessage(status),
    metrics: readMetrics(hooks, options.metricTemplates, namespace),
    alerts: readAlerts(hooks, options.alertProviders, namespace),
    webhooks,
    gates,
    skipAnalysis: !hooks || asBoolean(spec?.skipAnalysis) === true,
    suspended: asBoolean(spec?.suspend) === true,
    problems,
  };
  if (analysis.strategy !== 'canary') {
    progress.iterations = readIterations(
      phase,
      counts.iterations,
      analysis.iterations,
    );
  }
  estimateCompletion(progress, steps, analysis, options.now);
  return progress;
}
