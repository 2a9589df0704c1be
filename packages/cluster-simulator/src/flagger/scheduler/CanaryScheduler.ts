import { CanaryPhase } from '../model';
import { canaryId, targetId } from '../names';
import { selectStrategy } from '../strategies/selectStrategy';
import { CanaryRun, FlaggerParts } from './CanaryRun';
import {
  finalisePromotion,
  runPromotionTrafficShift,
  shouldSkipAnalysis,
} from './promotion';
import { rollback } from './rollback';
import { initialize, startRun } from './initialization';
import { isCanaryReady, isPrimaryReady } from './readinessChecks';
import { TOTAL_WEIGHT } from './weights';

/** Phases in which a run goes on without a new revision. */
const ADVANCING: CanaryPhase[] = [
  'Progressing',
  'Waiting',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
];
/** Phases checkCanaryStatus lets through; any other starts a new revision. */
const UNDER_ANALYSIS: CanaryPhase[] = [
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
];
/** Phases in which the rollback hooks are asked. */
const ROLLBACK_HOOK_PHASES: CanaryPhase[] = [
  'Progressing',
  'Waiting',
  'WaitingPromotion',
];

/**
 * Flagger's scheduler (pkg/controller/scheduler.go advanceCanary): one run
 * per canary and analysis interval, as a list of named steps; each step that
 * ends the run answers so.
 */
export class CanaryScheduler {
  constructor(private readonly parts: FlaggerParts) {}

  /** One scheduler run for one canary. */
  advance(namespace: string, name: string): void {
    const parts = this.parts;
    const run = startRun(parts, namespace, name);
    if (!run || !initialize(parts, run)) return;
    if (!this.shouldAdvance(run)) return;
    if (!run.skipAnalysis && !isPrimaryReady(parts, run)) return;
    this.readRoutes(run);
    if (!this.checkCanaryStatus(run)) return;
    if (this.hasCanaryRevisionChanged(run)) {
      this.restartAnalysis(run);
      return;
    }
    if (!isCanaryReady(parts, run)) return;
    if (shouldSkipAnalysis(parts, run)) return;
    if (this.runRollbackHooks(run)) {
      rollback(parts, run);
      return;
    }
    if (run.phase === 'Promoting') {
      runPromotionTrafficShift(parts, run);
      return;
    }
    if (run.phase === 'Finalising') {
      finalisePromotion(parts, run);
      return;
    }
    if (this.hasReachedThreshold(run)) {
      rollback(parts, run);
      return;
    }
    if (!this.runChecks(run)) return;
    selectStrategy(run.cd)(parts, run);
  }

  /**
   * shouldAdvance: a rollout is under way or the target changed (a failed
   * canary has its status synced first, as Flagger does).
   */
  private shouldAdvance(run: CanaryRun): boolean {
    const { cd, phase } = run;
    if (ADVANCING.includes(phase)) return true;
    if (phase === 'Failed') {
      this.parts.status.syncStatus(
        cd,
        run.target,
        { ...cd.status },
        this.parts.now(),
      );
    }
    if (this.parts.deployments.hasTargetChanged(cd, run.target)) return true;
    this.parts.metrics.setStatus(cd, phase);
    return false;
  }

  /** GetRoutes: the split the analysis continues from. */
  private readRoutes(run: CanaryRun): void {
    const routes = run.router.getRoutes(run.cd);
    run.primaryWeight = routes.primary;
    run.canaryWeight = routes.canary;
    this.parts.metrics.setWeight(run.cd, routes.primary, routes.canary);
    this.parts.metrics.setStatus(run.cd, run.phase);
  }

  /**
   * checkCanaryStatus: a new revision goes to Progressing behind the
   * confirm-rollout gates and scales the target up; false when it did.
   */
  private checkCanaryStatus(run: CanaryRun): boolean {
    if (UNDER_ANALYSIS.includes(run.phase)) return true;
    const { status, now } = this.parts;
    // Synced to Progressing first (so webhooks see the new checksum), then gated.
    run.cd = status.syncStatus(
      run.cd,
      run.target,
      { phase: 'Progressing' },
      now(),
    );
    if (!this.parts.hooks.confirmRollout(run.cd)) return false;
    this.parts.events.info(
      run.cd,
      `New revision detected! Scaling up ${targetId(run.cd)}`,
    );
    if ((run.target.spec.replicas ?? 0) === 0) {
      const primary = this.parts.deployments.primary(run.cd);
      this.parts.deployments.scaleTarget(run.cd, primary?.spec.replicas || 1);
    }
    status.syncStatus(run.cd, run.target, { phase: 'Progressing' }, now());
    this.parts.metrics.setStatus(run.cd, 'Progressing');
    return false;
  }

  /** hasCanaryRevisionChanged: the target changed during the analysis. */
  private hasCanaryRevisionChanged(run: CanaryRun): boolean {
    if (run.phase !== 'Progressing' && run.phase !== 'WaitingPromotion')
      return false;
    return this.parts.deployments.hasTargetChanged(run.cd, run.target);
  }

  /** All traffic back to the primary and the analysis from the start. */
  private restartAnalysis(run: CanaryRun): void {
    run.router.setRoutes(run.cd, TOTAL_WEIGHT, 0);
    run.cd = this.parts.status.syncStatus(
      run.cd,
      run.target,
      { phase: 'Progressing', canaryWeight: 0, failedChecks: 0, iterations: 0 },
      this.parts.now(),
    );
    this.parts.events.info(
      run.cd,
      `New revision detected! Restarting analysis for ${targetId(run.cd)}`,
    );
  }

  /** runRollbackHooks: true when a rollback hook asks for a rollback. */
  private runRollbackHooks(run: CanaryRun): boolean {
    if (!ROLLBACK_HOOK_PHASES.includes(run.phase)) return false;
    if (!this.parts.hooks.rollback(run.cd, run.phase)) return false;
    this.parts.events.warn(
      run.cd,
      `Rolling back ${canaryId(run.cd)} manual webhook invoked`,
    );
    return true;
  }

  private hasReachedThreshold(run: CanaryRun): boolean {
    const { cd, phase } = run;
    if (phase !== 'Progressing' && phase !== 'WaitingPromotion') return false;
    return (cd.status?.failedChecks ?? 0) >= (cd.spec.analysis?.threshold ?? 0);
  }

  /**
   * The pre-rollout hooks when the analysis starts, runAnalysis after that;
   * a failure counts one failed check.
   */
  private runChecks(run: CanaryRun): boolean {
    const { cd } = run;
    const starting =
      run.canaryWeight === 0 && (cd.status?.iterations ?? 0) === 0;
    if (starting) {
      this.parts.events.info(
        cd,
        `Starting canary analysis for ${targetId(cd)}`,
      );
    }
    const passed = starting
      ? this.parts.hooks.preRollout(cd)
      : this.parts.analysis.run(cd);
    if (!passed) {
      const failedChecks = (cd.status?.failedChecks ?? 0) + 1;
      this.parts.status.setFailedChecks(cd, failedChecks, this.parts.now());
    }
    return passed;
  }
}
