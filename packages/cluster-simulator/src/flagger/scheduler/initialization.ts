import { Canary, FLAGGER_API_VERSION } from '../model';
import { canaryId, targetId } from '../names';
import { CanaryRun, FlaggerParts } from './CanaryRun';
import { isPrimaryReady } from './readinessChecks';

/**
 * Reads the canary and its target; a missing canary, a suspended one or a
 * missing target ends the run before it starts.
 */
export function startRun(
  parts: FlaggerParts,
  namespace: string,
  name: string,
): CanaryRun | undefined {
  const cd = parts.store.getByKind(
    FLAGGER_API_VERSION,
    'Canary',
    namespace,
    name,
  ) as Canary | undefined;
  if (!cd) return undefined;
  if (cd.spec.suspend) {
    parts.events.info(cd, 'skipping canary run as object is suspended');
    return undefined;
  }
  const target = parts.deployments.target(cd);
  if (!target) {
    parts.events.warn(
      cd,
      `deployment ${targetId(cd)} get query error: deployments.apps "${
        cd.spec.targetRef.name
      }" not found`,
    );
    return undefined;
  }
  const phase = cd.status?.phase ?? '';
  return {
    cd,
    target,
    router: parts.routers.meshRouter(cd.spec.provider),
    initializing: phase === '' || phase === 'Initializing',
    skipAnalysis: !!cd.spec.skipAnalysis,
    phase,
    primaryWeight: 0,
    canaryWeight: 0,
  };
}

/**
 * Initialize: the Services and the primary; while initializing, wait for the
 * primary and scale the target to zero; then the routing, and Initialized.
 * False while a new primary is not ready yet.
 */
export function initialize(parts: FlaggerParts, run: CanaryRun): boolean {
  const { cd } = run;
  parts.routers.kubernetes.initialize(cd);
  if (!run.skipAnalysis && run.initializing) {
    parts.events.info(cd, 'all the metrics providers are available!');
  }
  parts.deployments.createPrimary(cd, run.target);
  if (run.initializing) {
    if (!isPrimaryReady(parts, run)) return false;
    parts.deployments.scaleTarget(cd, 0);
  }
  parts.routers.kubernetes.reconcile(cd);
  run.router.reconcile(cd);
  if (run.initializing) {
    run.cd = parts.status.syncStatus(
      cd,
      run.target,
      { phase: 'Initialized' },
      parts.now(),
    );
    parts.metrics.setStatus(run.cd, 'Initialized');
    parts.events.info(run.cd, `Initialization done! ${canaryId(run.cd)}`);
  }
  run.phase = run.cd.status?.phase ?? '';
  return true;
}
