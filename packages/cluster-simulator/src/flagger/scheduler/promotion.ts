import { canaryId, primaryName, targetId } from '../names';
import { CanaryRun, FlaggerParts, shiftTraffic } from './CanaryRun';
import { TOTAL_WEIGHT } from './weights';

/** Promote: the target's template goes to the primary, with Flagger's event. */
function copyTemplateToPrimary(parts: FlaggerParts, run: CanaryRun): void {
  const { cd } = run;
  parts.events.info(
    cd,
    `Copying ${targetId(cd)} template spec to ${primaryName(cd)}.${
      cd.metadata.namespace
    }`,
  );
  parts.deployments.promote(cd, run.target);
}

/** Analysis passed: promote the primary and enter Promoting. */
export function startPromotion(parts: FlaggerParts, run: CanaryRun): void {
  copyTemplateToPrimary(parts, run);
  parts.status.setPhase(run.cd, 'Promoting', parts.now());
}

/** shouldSkipAnalysis: with skipAnalysis, promote at once; true when it did. */
export function shouldSkipAnalysis(
  parts: FlaggerParts,
  run: CanaryRun,
): boolean {
  if (!run.skipAnalysis) return false;
  const { cd } = run;
  shiftTraffic(parts, run, TOTAL_WEIGHT, 0);
  copyTemplateToPrimary(parts, run);
  parts.deployments.scaleTarget(cd, 0);
  parts.status.setPhase(cd, 'Succeeded', parts.now());
  parts.metrics.setStatus(cd, 'Succeeded');
  parts.events.info(
    cd,
    `Promotion completed! Canary analysis was skipped for ${targetId(cd)}`,
  );
  return true;
}

/**
 * runPromotionTrafficShift (Promoting): all traffic back to the primary at
 * once, or by stepWeightPromotion per interval; then Finalising.
 */
export function runPromotionTrafficShift(
  parts: FlaggerParts,
  run: CanaryRun,
): void {
  const { cd } = run;
  const step = cd.spec.analysis?.stepWeightPromotion ?? 0;
  if (step === 0) {
    parts.events.info(cd, 'Routing all traffic to primary');
    shiftTraffic(parts, run, TOTAL_WEIGHT, 0);
    parts.status.setPhase(cd, 'Finalising', parts.now());
    return;
  }
  if (run.canaryWeight <= 0) return;
  const primaryWeight = Math.min(TOTAL_WEIGHT, run.primaryWeight + step);
  const canaryWeight = Math.max(0, run.canaryWeight - step);
  shiftTraffic(parts, run, primaryWeight, canaryWeight);
  parts.events.info(
    cd,
    `Advance ${canaryId(cd)} primary weight ${primaryWeight}`,
  );
  if (primaryWeight === TOTAL_WEIGHT) {
    parts.status.setPhase(cd, 'Finalising', parts.now());
  } else parts.status.setWeight(cd, canaryWeight, parts.now());
}

/** Finalising: scale the target to zero, Succeeded, post-rollout hooks. */
export function finalisePromotion(parts: FlaggerParts, run: CanaryRun): void {
  const { cd } = run;
  parts.deployments.scaleTarget(cd, 0);
  parts.status.setPhase(cd, 'Succeeded', parts.now());
  parts.metrics.setStatus(cd, 'Succeeded');
  parts.hooks.postRollout(cd, 'Succeeded');
  parts.events.info(cd, `Promotion completed! Scaling down ${targetId(cd)}`);
}
