import { Canary } from '../model';
import { canaryId } from '../names';
import { CanaryRun, FlaggerParts } from '../scheduler/CanaryRun';

/** analysis.iterations and the iterations run so far. */
export function iterationsOf(cd: Canary): { total: number; done: number } {
  return {
    total: cd.spec.analysis?.iterations ?? 0,
    done: cd.status?.iterations ?? 0,
  };
}

/** One more iteration of an A/B or blue/green analysis. */
export function advanceIteration(parts: FlaggerParts, run: CanaryRun): void {
  const { cd } = run;
  const { total, done } = iterationsOf(cd);
  parts.status.setIterations(cd, done + 1, parts.now());
  parts.events.info(
    cd,
    `Advance ${canaryId(cd)} canary iteration ${done + 1}/${total}`,
  );
}
