import { ObjectStore } from '../../api/ObjectStore';
import { KubeObject } from '../../types';
import { Canary, serviceNames } from '../model';
import { TrafficModel } from '../TrafficModel';
import {
  GATEWAY_API_GROUP,
  generatedHTTPRoute,
  httpRouteSpec,
  readHTTPRouteWeights,
  withoutWeights,
} from './httpRoute';
import { MeshRouter, RouteWeights, playSplit } from './MeshRouter';

/**
 * The Gateway API provider (`gatewayapi:v1`, pkg/router/gateway_api.go, and
 * `gatewayapi:v1beta1`, gateway_api_v1beta1.go): the HTTPRoute `<apex>`
 * attached to `service.gatewayRefs` whose backendRef weights are the split.
 * No DestinationRules: the mesh (Istio here) implements the route. Every
 * split also goes to the TrafficModel, which plays the data plane.
 */
export class GatewayAPIRouter implements MeshRouter {
  private readonly apiVersion: string;

  constructor(
    private readonly store: ObjectStore,
    private readonly traffic: TrafficModel,
    version: 'v1' | 'v1beta1',
  ) {
    this.apiVersion = `${GATEWAY_API_GROUP}/${version}`;
  }

  private route(cd: Canary): KubeObject | undefined {
    return this.store.getByKind(
      this.apiVersion,
      'HTTPRoute',
      cd.metadata.namespace,
      serviceNames(cd).apex,
    );
  }

  /**
   * Creates the route at 100/0, or, when anything but the weights drifted
   * (or its labels/annotations), rewrites it with the initial 100/0 weights
   * as Flagger does. Flagger refuses a canary without gatewayRefs.
   */
  reconcile(cd: Canary): void {
    if ((cd.spec.service.gatewayRefs ?? []).length === 0) return;
    const desired = generatedHTTPRoute(cd, this.apiVersion);
    const existing = this.route(cd);
    if (!existing) {
      this.store.create(desired);
      return;
    }
    // Annotations other controllers added are kept (mergedAnnotations).
    const annotations = {
      ...(existing.metadata.annotations ?? {}),
      ...desired.metadata.annotations,
    };
    const metadataDrifted =
      JSON.stringify(existing.metadata.labels ?? {}) !==
        JSON.stringify(desired.metadata.labels) ||
      JSON.stringify(existing.metadata.annotations ?? {}) !==
        JSON.stringify(annotations);
    if (
      metadataDrifted ||
      withoutWeights(existing.spec) !== withoutWeights(desired.spec)
    ) {
      this.store.update({
        ...existing,
        metadata: {
          ...existing.metadata,
          labels: desired.metadata.labels,
          annotations,
        },
        spec: desired.spec,
      });
    }
  }

  setRoutes(cd: Canary, primaryWeight: number, canaryWeight: number): void {
    this.store.mutate(
      this.apiVersion,
      'HTTPRoute',
      cd.metadata.namespace,
      serviceNames(cd).apex,
      route => {
        route.spec = httpRouteSpec(cd, primaryWeight, canaryWeight);
      },
    );
    playSplit(this.traffic, cd, primaryWeight, canaryWeight);
  }

  getRoutes(cd: Canary): RouteWeights {
    return readHTTPRouteWeights(cd, this.route(cd));
  }
}
