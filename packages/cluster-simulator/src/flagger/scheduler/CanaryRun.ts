import { ObjectStore } from '../../api/ObjectStore';
import { MetricAnalysis } from '../analysis/MetricAnalysis';
import { CanaryStatusWriter } from '../canary/CanaryStatusWriter';
import {
  Deployment,
  DeploymentController,
} from '../canary/DeploymentController';
import { CanaryHooks } from '../hooks/CanaryHooks';
import { Canary, CanaryPhase } from '../model';
import { CanaryEvents } from '../recorder/CanaryEvents';
import { FlaggerMetrics } from '../recorder/FlaggerMetrics';
import { MeshRouter } from '../router/MeshRouter';
import { RouterFactory } from '../router/RouterFactory';

/** What one scheduler run works with (the fields of Flagger's Controller). */
export interface FlaggerParts {
  store: ObjectStore;
  now: () => number;
  status: CanaryStatusWriter;
  events: CanaryEvents;
  metrics: FlaggerMetrics;
  deployments: DeploymentController;
  hooks: CanaryHooks;
  analysis: MetricAnalysis;
  routers: RouterFactory;
}

/** The state of one scheduler run for one canary (advanceCanary's locals). */
export interface CanaryRun {
  /** The canary as last written; steps that sync its status replace it. */
  cd: Canary;
  readonly target: Deployment;
  readonly router: MeshRouter;
  /** The phase was empty or Initializing when the run started. */
  readonly initializing: boolean;
  readonly skipAnalysis: boolean;
  /** The phase after initialization, which the later steps branch on. */
  phase: CanaryPhase;
  /** The split read from the router before analysis. */
  primaryWeight: number;
  canaryWeight: number;
}

/** Routes a split and records it in flagger_canary_weight. */
export function shiftTraffic(
  parts: FlaggerParts,
  run: CanaryRun,
  primaryWeight: number,
  canaryWeight: number,
): void {
  run.router.setRoutes(run.cd, primaryWeight, canaryWeight);
  parts.metrics.setWeight(run.cd, primaryWeight, canaryWeight);
}
