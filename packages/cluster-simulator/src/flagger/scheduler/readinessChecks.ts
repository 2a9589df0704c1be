import { canaryNotReady, primaryNotReady } from '../canary/readiness';
import { CanaryRun, FlaggerParts } from './CanaryRun';

/** IsPrimaryReady, reported as a warning event when it is not. */
export function isPrimaryReady(parts: FlaggerParts, run: CanaryRun): boolean {
  const err = primaryNotReady(run.cd, parts.deployments.primary(run.cd));
  if (err) parts.events.warn(run.cd, err);
  return !err;
}

/** IsCanaryReady, on the target as it is now. */
export function isCanaryReady(parts: FlaggerParts, run: CanaryRun): boolean {
  const target = parts.deployments.target(run.cd) ?? run.target;
  const err = canaryNotReady(run.cd, target);
  if (err) parts.events.warn(run.cd, err);
  return !err;
}
