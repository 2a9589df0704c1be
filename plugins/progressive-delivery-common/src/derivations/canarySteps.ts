import { CanaryStep, ObjectProblem } from '../api';
import { PROMOTION_PHASES, ROLLOUT_PHASES } from '../flagger/phases';
import { AnalysisSpec, TOTAL_WEIGHT } from './canaryAnalysis';

/** A step of the rollout plan, before the canary's status places it. */
export type PlannedStep = Omit<CanaryStep, 'state'>;

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

function planWeightSteps(
  analysis: AnalysisSpec,
  problems: ObjectProblem[],
): PlannedStep[] {
  const steps: PlannedStep[] = [];
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
  return steps;
}

function planIterationSteps(
  analysis: AnalysisSpec,
  provider: string | undefined,
): PlannedStep[] {
  const steps: PlannedStep[] = [];
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
  return steps;
}

/** The full rollout plan: start, traffic steps or iterations, promote. */
export function planSteps(
  analysis: AnalysisSpec,
  provider: string | undefined,
  problems: ObjectProblem[],
): PlannedStep[] {
  return [
    { kind: 'start', weight: 0, label: '0%' },
    ...(analysis.strategy === 'canary'
      ? planWeightSteps(analysis, problems)
      : planIterationSteps(analysis, provider)),
    { kind: 'promote', weight: 0, label: 'promote' },
  ];
}

/** Where in the plan the canary is: an index into `steps`, -1 outside a rollout. */
export function currentStep(
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
  if (PROMOTION_PHASES.has(phase)) {
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

/** Each planned step marked done, current or pending; all done once the revision succeeded. */
export function placeSteps(
  steps: PlannedStep[],
  current: number,
  phase: string,
): CanaryStep[] {
  const succeeded = phase === 'Succeeded';
  return steps.map((step, index) => {
    let state: CanaryStep['state'] = 'pending';
    if (succeeded || (current !== -1 && index < current)) {
      state = 'done';
    } else if (index === current) {
      state = 'current';
    }
    return { ...step, state };
  });
}

/** Analysis intervals left until the rollout completes. */
export function remainingIntervals(
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
