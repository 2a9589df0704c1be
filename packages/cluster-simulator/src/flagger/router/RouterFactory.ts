import { ObjectStore } from '../../api/ObjectStore';
import { TrafficModel } from '../TrafficModel';
import { IstioRouter } from './IstioRouter';
import { KubernetesRouter } from './KubernetesRouter';
import { MeshRouter } from './MeshRouter';

/**
 * Chooses the router for a canary's `spec.provider` (pkg/router/factory.go).
 * Only Istio is simulated; like Flagger, an unknown provider falls back to it.
 */
export class RouterFactory {
  readonly kubernetes: KubernetesRouter;
  private readonly istio: IstioRouter;

  constructor(store: ObjectStore, traffic: TrafficModel) {
    this.kubernetes = new KubernetesRouter(store);
    this.istio = new IstioRouter(store, traffic);
  }

  meshRouter(_provider: string | undefined): MeshRouter {
    return this.istio;
  }
}
