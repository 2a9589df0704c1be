import { canaryId } from '../names';
import { CanaryRun, FlaggerParts, shiftTraffic } from './CanaryRun';
import { TOTAL_WEIGHT } from './weights';

/** rollback: all traffic to the primary, target to zero, Failed, post-rollout hooks. */
export function rollback(parts: FlaggerParts, run: CanaryRun): void {
  const { cd } = run;
  const failedChecks = cd.status?.failedChecks ?? 0;
  if (failedChecks >= (cd.spec.analysis?.threshold ?? 0)) {
    parts.events.warn(
      cd,
      `Rolling back ${canaryId(
        cd,
      )} failed checks threshold reached ${failedChecks}`,
    );
  }
  shiftTraffic(parts, run, TOTAL_WEIGHT, 0);
  parts.events.warn(cd, `Canary failed! Scaling down ${canaryId(cd)}`);
  parts.deployments.scaleTarget(cd, 0);
  parts.status.syncStatus(
    cd,
    run.target,
    { phase: 'Failed', canaryWeight: 0 },
    parts.now(),
  );
  parts.metrics.setStatus(cd, 'Failed');
  parts.hooks.postRollout(cd, 'Failed');
}
