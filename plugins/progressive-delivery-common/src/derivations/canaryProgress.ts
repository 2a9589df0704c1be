import {
  CanaryEvent,
  CanaryGate,
  CanaryGateType,
  CanaryMetricCheck,
  CanaryProgress,
  CanaryStep,
  CanaryStrategy,
  CanaryWebhook,
  ObjectProblem,
} from '../api';
import { KubeObject } from '../kubernetes';
import { parseGoDuration } from './duration';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  readPath,
  UnknownRecord,
} from './read';

// Defaults and rules below follow Flagger v1.44 (pkg/apis/flagger/v1beta1/canary.go,
// pkg/controller/scheduler.go).
const TOTAL_WEIGHT = 100;
const DEFAULT_INTERVAL_MS = 60_000;
const MIN_INTERVAL_MS = 10_000;
const KUBERNETES_PROVIDER_ITERATIONS = 10;

const PHASE_DESCRIPTIONS: Record<string, string> = {
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

const GATE_DESCRIPTIONS: Record<CanaryGateType, string> = {
  'confirm-rollout': 'Starts the analysis of a new revision.',
  'confirm-traffic-increase': 'Lets the canary receive the next traffic step.',
  'confirm-promotion': 'Promotes the analysed revision to the primary.',
  rollback: 'Rolls the canary back while it is analysed.',
};

const GATE_TYPES = new Set<string>(Object.keys(GATE_DESCRIPTIONS));

/** Phases in which a revision is being rolled out. */
const ROLLOUT_PHASES = new Set([
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
]);

/**
 * Options of {@link deriveCanaryProgress}.
 *
 * @public
 */
export interface DeriveCanaryProgressOptions {
  /** Flagger events of this canary, newest first (see `deriveCanaryEvents`). */
  events?: CanaryEvent[];
  /** Whether the VirtualService currently mirrors traffic to the canary. */
  mirrored?: boolean;
  /**
   * The weights the mesh routes (e.g. from the VirtualService). Flagger resets
   * `status.canaryWeight` to 0 once analysis ends while traffic still flows to the canary until
   * promotion finishes, so routed weights are the truth when known.
   */
  routedWeights?: { primary?: number; canary?: number };
  /** The current time, for the completion estimate. */
  now?: Date;
}

interface AnalysisSpec {
  present: boolean;
  strategy: CanaryStrategy;
  mirror: boolean;
  stepWeight: number;
  stepWeights: number[];
  maxWeight: number;
  stepWeightPromotion: number;
  iterations: number;
  threshold: number;
  intervalMs: number;
}

function readNumberList(value: unknown): number[] {
  return (asArray(value) ?? []).filter(
    (n): n is number => typeof n === 'number' && Number.isFinite(n),
  );
}

function readAnalysis(
  spec: UnknownRecord | undefined,
  problems: ObjectProblem[],
): AnalysisSpec {
  // spec.canaryAnalysis is the v1alpha3 name Flagger still honours.
  const record = asRecord(spec?.analysis) ?? asRecord(spec?.canaryAnalysis);
  const analysis = record ?? {};
  const stepWeights = readNumberList(analysis.stepWeights);
  const stepWeight = asNumber(analysis.stepWeight) ?? 0;
  const maxWeightSpec = asNumber(analysis.maxWeight) ?? 0;
  let maxWeight = TOTAL_WEIGHT;
  if (stepWeights.length > 0) {
    maxWeight = Math.min(TOTAL_WEIGHT, stepWeights[stepWeights.length - 1]);
  } else if (maxWeightSpec > 0) {
    maxWeight = maxWeightSpec;
  }
  const provider = asString(spec?.provider);
  let iterations = asNumber(analysis.iterations) ?? 0;
  const match = asArray(analysis.match) ?? [];
  if (provider === 'kubernetes' && iterations < 1) {
    iterations = KUBERNETES_PROVIDER_ITERATIONS;
  }
  let strategy: CanaryStrategy = 'canary';
  if (match.length > 0 && iterations > 0 && provider !== 'kubernetes') {
    strategy = 'abTesting';
  } else if (iterations > 0) {
    strategy = 'blueGreen';
  }
  const intervalText = asString(analysis.interval);
  let intervalMs = parseGoDuration(intervalText) ?? DEFAULT_INTERVAL_MS;
  if (intervalText && parseGoDuration(intervalText) === undefined) {
    problems.push({
      field: 'spec.analysis.interval',
      message: `"${intervalText}" is not a duration; Flagger uses 60s`,
    });
  }
  intervalMs = Math.max(intervalMs, MIN_INTERVAL_MS);
  const threshold = asNumber(analysis.threshold) ?? 0;
  return {
    present: record !== undefined,
    strategy,
    mirror: asBoolean(analysis.mirror) ?? false,
    stepWeight,
    stepWeights,
    maxWeight,
    stepWeightPromotion: asNumber(analysis.stepWeightPromotion) ?? 0,
    iterations,
    threshold: threshold > 0 ? threshold : 1,
    intervalMs,
  };
}

/** Flagger's next traffic increment from a weight (scheduler.go nextStepWeight). */
function nextStepWeight(analysis: AnalysisSpec, canaryWeight: number): number {
  const { stepWeight, stepWeights } = analysis;
  if (stepWeight > 0 || stepWeights.length === 0) {
    return stepWeight;
  }
  const maxStep = TOTAL_WEIGHT - canaryWeight;
  if (maxStep === 0) {
    return 1;
  }
  if (canaryWeight === 0) {
    return Math.min(maxStep, stepWeights[0]);
  }
  for (let i = 0; i < stepWeights.length - 1; i++) {
    if (stepWeights[i] === canaryWeight) {
      return Math.min(maxStep, stepWeights[i + 1] - canaryWeight);
    }
  }
  return maxStep;
}

type PlannedStep = Omit<CanaryStep, 'state'>;

function planSteps(
  analysis: AnalysisSpec,
  provider: string | undefined,
  problems: ObjectProblem[],
): PlannedStep[] {
  const steps: PlannedStep[] = [{ kind: 'start', weight: 0, label: '0%' }];
  if (analysis.strategy === 'canary') {
    if (analysis.mirror) {
      steps.push({ kind: 'mirror', weight: 0, label: 'mirror' });
    }
    let weight = 0;
    // Flagger caps the weight at the total, not at maxWeight: 20 by 20 up to 50 is 20, 40, 60.
    while (weight < analysis.maxWeight) {
      const step = nextStepWeight(analysis, weight);
      if (step <= 0) {
        if (analysis.present) {
          problems.push({
            field: 'spec.analysis.stepWeight',
            message:
              'neither stepWeight nor stepWeights is set: the canary cannot advance',
          });
        }
        break;
      }
      weight = Math.min(TOTAL_WEIGHT, weight + step);
      steps.push({ kind: 'weight', weight, label: `${weight}%` });
    }
  } else {
    const weight = analysis.strategy === 'abTesting' ? TOTAL_WEIGHT : 0;
    for (let i = 1; i <= analysis.iterations; i++) {
      steps.push({
        kind: 'iteration',
        weight,
        label: `${i}/${analysis.iterations}`,
      });
    }
    if (analysis.strategy === 'blueGreen' && provider !== 'kubernetes') {
      // After the last iteration Flagger routes all traffic to the canary before promoting.
      steps.push({ kind: 'weight', weight: TOTAL_WEIGHT, label: '100%' });
    }
  }
  steps.push({ kind: 'promote', weight: 0, label: 'promote' });
  return steps;
}

function currentStep(
  steps: PlannedStep[],
  analysis: AnalysisSpec,
  phase: string,
  canaryWeight: number,
  iterations: number,
  mirrored: boolean,
): number {
  if (!ROLLOUT_PHASES.has(phase)) {
    return -1;
  }
  const promote = steps.length - 1;
  if (
    phase === 'WaitingPromotion' ||
    phase === 'Promoting' ||
    phase === 'Finalising'
  ) {
    return promote;
  }
  if (phase === 'Waiting') {
    return 0;
  }
  if (analysis.strategy === 'canary') {
    if (canaryWeight === 0) {
      const mirror = steps.findIndex(s => s.kind === 'mirror');
      return mirrored && mirror !== -1 ? mirror : 0;
    }
    // Last step at or below the weight, so a weight from an older spec still lands somewhere.
    let index = 0;
    steps.forEach((step, i) => {
      if (step.kind === 'weight' && step.weight <= canaryWeight) {
        index = i;
      }
    });
    return index;
  }
  return Math.min(iterations, promote - 1);
}

function readWebhooks(analysis: UnknownRecord | undefined): {
  webhooks: CanaryWebhook[];
  gates: Array<Omit<CanaryGate, 'waiting'>>;
} {
  const webhooks: CanaryWebhook[] = [];
  const gates: Array<Omit<CanaryGate, 'waiting'>> = [];
  for (const raw of asArray(analysis?.webhooks) ?? []) {
    const hook = asRecord(raw);
    const name = asString(hook?.name);
    if (!hook || !name) {
      continue;
    }
    // An empty type is a rollout hook (Flagger's default).
    const type = asString(hook.type) || 'rollout';
    const url = asString(hook.url) ?? '';
    if (GATE_TYPES.has(type)) {
      const gateType = type as CanaryGateType;
      gates.push({
        name,
        type: gateType,
        url,
        description: GATE_DESCRIPTIONS[gateType],
      });
    } else {
      webhooks.push({ name, type, url });
    }
  }
  return { webhooks, gates };
}

function readMetrics(analysis: UnknownRecord | undefined): CanaryMetricCheck[] {
  const metrics: CanaryMetricCheck[] = [];
  for (const raw of asArray(analysis?.metrics) ?? []) {
    const metric = asRecord(raw);
    const name = asString(metric?.name);
    if (!metric || !name) {
      continue;
    }
    const check: CanaryMetricCheck = { name };
    const templateName = asString(readPath(metric, 'templateRef', 'name'));
    if (templateName) {
      check.templateRef = {
        name: templateName,
        namespace: asString(readPath(metric, 'templateRef', 'namespace')),
      };
    }
    const range = asRecord(metric.thresholdRange);
    // `threshold` is the deprecated single bound: a minimum for success rate, else a maximum.
    const legacy = asNumber(metric.threshold);
    if (range) {
      check.thresholdRange = {
        min: asNumber(range.min),
        max: asNumber(range.max),
      };
    } else if (legacy !== undefined) {
      check.thresholdRange =
        name === 'request-success-rate' ? { min: legacy } : { max: legacy };
    }
    check.interval = asString(metric.interval);
    metrics.push(check);
  }
  return metrics;
}

/** The newest gate event naming this gate tells whether Flagger still waits on it. */
function trafficGateWaiting(name: string, events: CanaryEvent[]): boolean {
  for (const event of events) {
    if (event.category === 'advance') {
      return false;
    }
    if (
      !event.message.endsWith(` ${name}`) &&
      !event.message.includes(` ${name} `)
    ) {
      continue;
    }
    if (event.category === 'gateWaiting') {
      return /waiting for traffic increase approval/.test(event.message);
    }
    if (event.category === 'gatePassed') {
      return false;
    }
  }
  return false;
}

function gateWaiting(
  gate: Omit<CanaryGate, 'waiting'>,
  phase: string,
  events: CanaryEvent[],
): boolean {
  switch (gate.type) {
    case 'confirm-rollout':
      return phase === 'Waiting';
    case 'confirm-promotion':
      return phase === 'WaitingPromotion';
    case 'confirm-traffic-increase':
      return phase === 'Progressing' && trafficGateWaiting(gate.name, events);
    default:
      return false;
  }
}

function remainingIntervals(
  steps: PlannedStep[],
  current: number,
  phase: string,
  analysis: AnalysisSpec,
  canaryWeight: number,
): number {
  // Promotion takes one interval to copy the spec, one or more to route traffic back
  // (stepWeightPromotion), and one to scale the canary down.
  const routeBack = (weight: number) =>
    analysis.stepWeightPromotion > 0 && weight > 0
      ? Math.ceil(weight / analysis.stepWeightPromotion)
      : 1;
  if (phase === 'Finalising') {
    return 1;
  }
  if (phase === 'Promoting') {
    return routeBack(canaryWeight) + 1;
  }
  const lastRolloutWeight = steps[steps.length - 2]?.weight ?? 0;
  const stepsLeft = Math.max(0, steps.length - 2 - current);
  return stepsLeft + 1 + routeBack(lastRolloutWeight) + 1;
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
  const spec = asRecord(canary.spec);
  if (!spec) {
    problems.push({ field: 'spec', message: 'the canary has no spec' });
  } else if (!asRecord(spec.targetRef)) {
    problems.push({
      field: 'spec.targetRef',
      message: 'the canary names no target workload',
    });
  }
  const analysisRecord =
    asRecord(spec?.analysis) ?? asRecord(spec?.canaryAnalysis);
  const analysis = readAnalysis(spec, problems);
  const provider = asString(spec?.provider);

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
  const phase = asString(rawPhase) ?? '';
  if (rawPhase !== undefined && typeof rawPhase !== 'string') {
    problems.push({ field: 'status.phase', message: 'phase is not a string' });
  }
  const readStatusNumber = (field: string): number => {
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
  const statusWeight = readStatusNumber('canaryWeight');
  const routedCanary = options.routedWeights?.canary;
  const canaryWeight = routedCanary ?? statusWeight;
  const primaryWeight =
    options.routedWeights?.primary ?? TOTAL_WEIGHT - canaryWeight;
  const failedChecks = readStatusNumber('failedChecks');
  const iterations = readStatusNumber('iterations');

  const events = options.events ?? [];
  const steps = planSteps(analysis, provider, problems);
  const current = currentStep(
    steps,
    analysis,
    phase,
    statusWeight,
    iterations,
    options.mirrored ?? false,
  );
  const succeeded = phase === 'Succeeded';
  const stepStates: CanaryStep[] = steps.map((step, index) => {
    let state: CanaryStep['state'] = 'pending';
    if (succeeded || (current !== -1 && index < current)) {
      state = 'done';
    } else if (index === current) {
      state = 'current';
    }
    return { ...step, state };
  });

  const { webhooks, gates: gateSpecs } = readWebhooks(analysisRecord);
  const gates: CanaryGate[] = gateSpecs.map(gate => ({
    ...gate,
    waiting: gateWaiting(gate, phase, events),
  }));

  let activity: CanaryProgress['activity'] = 'idle';
  if (phase === 'Succeeded') {
    activity = 'succeeded';
  } else if (phase === 'Failed') {
    activity = 'failed';
  } else if (
    gates.some(g => g.waiting) ||
    phase === 'Waiting' ||
    phase === 'WaitingPromotion'
  ) {
    activity = 'waiting';
  } else if (ROLLOUT_PHASES.has(phase)) {
    activity = 'active';
  }

  const lastAppliedSpec = asString(status?.lastAppliedSpec);
  const lastPromotedSpec = asString(status?.lastPromotedSpec);
  const conditions = asArray(status?.conditions) ?? [];
  const promoted = conditions
    .map(asRecord)
    .find(c => asString(c?.type) === 'Promoted');

  const progress: CanaryProgress = {
    phase: phase || 'Unknown',
    phaseDescription:
      PHASE_DESCRIPTIONS[phase] ?? `Unrecognised Flagger phase "${phase}".`,
    activity,
    strategy: analysis.strategy,
    mirroring: analysis.mirror,
    canaryWeight,
    primaryWeight,
    weightSource: routedCanary === undefined ? 'status' : 'routing',
    maxWeight: analysis.maxWeight,
    steps: stepStates,
    currentStepIndex: current,
    failedChecks,
    threshold: analysis.threshold,
    intervalMs: analysis.intervalMs,
    revision: {
      lastAppliedSpec,
      lastPromotedSpec,
      underAnalysis:
        ROLLOUT_PHASES.has(phase) &&
        lastAppliedSpec !== undefined &&
        lastAppliedSpec !== lastPromotedSpec,
    },
    lastTransitionTime: asString(status?.lastTransitionTime),
    conditionMessage: asString(promoted?.message),
    metrics: readMetrics(analysisRecord),
    webhooks,
    gates,
    skipAnalysis: !analysisRecord || asBoolean(spec?.skipAnalysis) === true,
    suspended: asBoolean(spec?.suspend) === true,
    problems,
  };
  if (analysis.strategy !== 'canary') {
    progress.iterations = { current: iterations, total: analysis.iterations };
  }
  if (activity === 'active' && current !== -1) {
    const intervals = remainingIntervals(
      steps,
      current,
      phase,
      analysis,
      canaryWeight,
    );
    progress.remainingMs = intervals * analysis.intervalMs;
    if (options.now) {
      progress.estimatedCompletionAt = new Date(
        options.now.getTime() + progress.remainingMs,
      ).toISOString();
    }
  }
  return progress;
}
