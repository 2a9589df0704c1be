import { Canary } from '../model';
import { CanaryRun, FlaggerParts } from '../scheduler/CanaryRun';
import { runABTesting } from './abTesting';
import { runBlueGreen } from './blueGreen';
import { runCanary } from './canary';

/** One analysis interval's traffic step of a deployment strategy. */
export type RolloutStrategy = (parts: FlaggerParts, run: CanaryRun) => void;

/**
 * The strategy a canary's analysis asks for, in Flagger's order: A/B testing
 * (match and iterations), blue/green (iterations), else canary weights.
 * Traffic mirroring (analysis.mirror) is not simulated: such canaries run
 * their strategy without the mirrored step.
 */
export function selectStrategy(cd: Canary): RolloutStrategy {
  const analysis = cd.spec.analysis ?? {};
  const iterations = analysis.iterations ?? 0;
  if ((analysis.match?.length ?? 0) > 0 && iterations > 0) return runABTesting;
  if (iterations > 0) return runBlueGreen;
  return runCanary;
}
