import { Canary } from '../model';
import { TrafficModel } from '../TrafficModel';

/** The traffic split between the primary and the canary, in percent. */
export interface RouteWeights {
  primary: number;
  canary: number;
}

/**
 * What the scheduler needs from a mesh or ingress provider (Flagger's
 * pkg/router Interface): one implementation per `spec.provider`.
 */
export interface MeshRouter {
  /** Creates or updates the provider's routing objects, keeping the current split. */
  reconcile(cd: Canary): void;
  /** Routes the given split. */
  setRoutes(cd: Canary, primaryWeight: number, canaryWeight: number): void;
  /** Reads the split the routing objects hold now. */
  getRoutes(cd: Canary): RouteWeights;
}

/** Hands a routed split to the TrafficModel, which plays the data plane for every provider. */
export function playSplit(
  traffic: TrafficModel,
  cd: Canary,
  primaryWeight: number,
  canaryWeight: number,
): void {
  traffic.setWeights(
    cd.metadata.namespace ?? '',
    cd.spec.targetRef.name,
    primaryWeight,
    canaryWeight,
  );
}
