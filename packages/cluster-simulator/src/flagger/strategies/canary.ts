import { CanaryPhase } from '../model';
import { canaryId } from '../names';
import { CanaryRun, FlaggerParts, shiftTraffic } from '../scheduler/CanaryRun';
import { startPromotion } from '../scheduler/promotion';
import { TOTAL_WEIGHT, maxWeight, nextStepWeight } from '../scheduler/weights';

/** Phases in which no traffic increase is asked for. */
const NO_TRAFFIC_GATE: CanaryPhase[] = [
  'Promoting',
  'WaitingPromotion',
  'Finalising',
];

/**
 * runCanary: progressive traffic increase by stepWeight (or stepWeights) up
 * to maxWeight, each step behind the confirm-traffic-increase gates; at
 * maxWeight the confirm-promotion gates, then promotion.
 */
export function runCanary(parts: FlaggerParts, run: CanaryRun): void {
  const { cd } = run;
  const step = nextStepWeight(cd, run.canaryWeight);
  if (step <= 0) return;
  if (!NO_TRAFFIC_GATE.includes(run.phase)) {
    if (!parts.hooks.confirmTrafficIncrease(cd)) return;
  }
  if (run.canaryWeight < maxWeight(cd)) {
    const primaryWeight = Math.max(0, run.primaryWeight - step);
    const canaryWeight = Math.min(TOTAL_WEIGHT, run.canaryWeight + step);
    shiftTraffic(parts, run, primaryWeight, canaryWeight);
    parts.status.setWeight(cd, canaryWeight, parts.now());
    parts.events.info(
      cd,
      `Advance ${canaryId(cd)} canary weight ${canaryWeight}`,
    );
    return;
  }
  if (!parts.hooks.confirmPromotion(cd)) return;
  startPromotion(parts, run);
}
