import { ObjectStore } from '../../api/ObjectStore';
import { TrafficModel } from '../TrafficModel';
import { GatewayAPIRouter } from './GatewayAPIRouter';
import { IstioRouter } from './IstioRouter';
import { KubernetesRouter } from './KubernetesRouter';
import { MeshRouter } from './MeshRouter';

/**
 * The Gateway API version a provider writes: `gatewayapi:v1beta1` and
 * `gatewayapi:v1` (checked in that order, as the prefixes overlap), else none.
 */
export function gatewayApiVersion(
  provider: string | undefined,
): 'v1' | 'v1beta1' | undefined {
  const p = provider ?? '';
  if (p.startsWith('gatewayapi:v1beta1')) return 'v1beta1';
  if (p.startsWith('gatewayapi:v1')) return 'v1';
  return undefined;
}

/**
 * Chooses the router for a canary's `spec.provider` (pkg/router/factory.go):
 * the Gateway API providers get the Gateway API router of their version;
 * Istio and, like Flagger, every provider not simulated the Istio router.
 */
export class RouterFactory {
  readonly kubernetes: KubernetesRouter;
  private readonly istio: IstioRouter;
  private readonly gatewayApiV1: GatewayAPIRouter;
  private readonly gatewayApiV1beta1: GatewayAPIRouter;

  constructor(store: ObjectStore, traffic: TrafficModel) {
    this.kubernetes = new KubernetesRouter(store);
    this.istio = new IstioRouter(store, traffic);
    this.gatewayApiV1 = new GatewayAPIRouter(store, traffic, 'v1');
    this.gatewayApiV1beta1 = new GatewayAPIRouter(store, traffic, 'v1beta1');
  }

  meshRouter(provider: string | undefined): MeshRouter {
    const version = gatewayApiVersion(provider);
    if (version === 'v1beta1') return this.gatewayApiV1beta1;
    if (version === 'v1') return this.gatewayApiV1;
    return this.istio;
  }
}
