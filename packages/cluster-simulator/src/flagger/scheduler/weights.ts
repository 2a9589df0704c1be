import { Canary } from '../model';

/** The weight of all traffic (Canary.GetAnalysis().TotalWeight's default). */
export const TOTAL_WEIGHT = 100;

/** The canary weight at which analysis ends: the last step weight or maxWeight. */
export function maxWeight(cd: Canary): number {
  const steps = cd.spec.analysis?.stepWeights ?? [];
  if (steps.length > 0) return Math.min(TOTAL_WEIGHT, steps[steps.length - 1]);
  return cd.spec.analysis?.maxWeight || TOTAL_WEIGHT;
}

/** How much weight the next step moves to the canary (stepWeight or stepWeights). */
export function nextStepWeight(cd: Canary, canaryWeight: number): number {
  const analysis = cd.spec.analysis ?? {};
  const steps = analysis.stepWeights ?? [];
  if ((analysis.stepWeight ?? 0) > 0 || steps.length === 0)
    return analysis.stepWeight ?? 0;
  const maxStep = TOTAL_WEIGHT - canaryWeight;
  if (maxStep === 0) return 1;
  if (canaryWeight === 0) return Math.min(maxStep, steps[0]);
  for (let i = 0; i < steps.length - 1; i++) {
    if (steps[i] === canaryWeight)
      return Math.min(maxStep, steps[i + 1] - canaryWeight);
  }
  return maxStep;
}
