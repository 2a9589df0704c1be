import { CanaryRun, FlaggerParts, shiftTraffic } from '../scheduler/CanaryRun';
import { startPromotion } from '../scheduler/promotion';
import { TOTAL_WEIGHT } from '../scheduler/weights';
import { advanceIteration, iterationsOf } from './iterations';

/**
 * runAB: requests matching analysis.match go to the canary (the router's
 * match route at weight 100) for `iterations` intervals, then promotion.
 */
export function runABTesting(parts: FlaggerParts, run: CanaryRun): void {
  const { total, done } = iterationsOf(run.cd);
  if (total > done) {
    shiftTraffic(parts, run, 0, TOTAL_WEIGHT);
    advanceIteration(parts, run);
    return;
  }
  if (!parts.hooks.confirmPromotion(run.cd)) return;
  if (total === done) startPromotion(parts, run);
}
