import { CanaryRun, FlaggerParts, shiftTraffic } from '../scheduler/CanaryRun';
import { startPromotion } from '../scheduler/promotion';
import { TOTAL_WEIGHT } from '../scheduler/weights';
import { advanceIteration, iterationsOf } from './iterations';

/**
 * runBlueGreen: `iterations` intervals of analysis with no traffic shifted,
 * then all traffic to the canary for one interval, then promotion.
 */
export function runBlueGreen(parts: FlaggerParts, run: CanaryRun): void {
  const { cd } = run;
  const { total, done } = iterationsOf(cd);
  if (total > done) {
    advanceIteration(parts, run);
    return;
  }
  if (!parts.hooks.confirmPromotion(cd)) return;
  if (total === done) {
    parts.events.info(cd, 'Routing all traffic to canary');
    shiftTraffic(parts, run, 0, TOTAL_WEIGHT);
    parts.status.setIterations(cd, done + 1, parts.now());
    return;
  }
  startPromotion(parts, run);
}
