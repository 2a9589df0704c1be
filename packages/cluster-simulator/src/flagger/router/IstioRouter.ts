import { ObjectStore } from '../../api/ObjectStore';
import { KubeObject } from '../../types';
import {
  Canary,
  ISTIO_NETWORKING_VERSION,
  generatedDestinationRules,
  generatedVirtualService,
  readRoutes,
  serviceNames,
  weightedRoutes,
} from '../model';
import { TrafficModel } from '../TrafficModel';
import { createOrUpdateSpec } from './applySpec';
import { MeshRouter, RouteWeights, playSplit } from './MeshRouter';

/**
 * The Istio provider (pkg/router/istio.go): `-primary`/`-canary`
 * DestinationRules and the VirtualService `<apex>` whose weights are the
 * split. Every split also goes to the TrafficModel, which plays the mesh.
 */
export class IstioRouter implements MeshRouter {
  constructor(
    private readonly store: ObjectStore,
    private readonly traffic: TrafficModel,
  ) {}

  private virtualService(cd: Canary): KubeObject | undefined {
    return this.store.getByKind(
      ISTIO_NETWORKING_VERSION,
      'VirtualService',
      cd.metadata.namespace,
      serviceNames(cd).apex,
    );
  }

  reconcile(cd: Canary): void {
    for (const rule of generatedDestinationRules(cd)) {
      createOrUpdateSpec(this.store, rule);
    }
    const vs = this.virtualService(cd);
    if (!vs) {
      this.store.create(generatedVirtualService(cd));
      return;
    }
    // Keep the current weights, update everything else.
    const weights = readRoutes(cd, vs);
    const desired = generatedVirtualService(
      cd,
      weights.primary,
      weights.canary,
    );
    if (JSON.stringify(desired.spec) !== JSON.stringify(vs.spec)) {
      this.store.update({ ...vs, spec: desired.spec });
    }
  }

  setRoutes(cd: Canary, primaryWeight: number, canaryWeight: number): void {
    this.store.mutate(
      ISTIO_NETWORKING_VERSION,
      'VirtualService',
      cd.metadata.namespace,
      serviceNames(cd).apex,
      vs => {
        (vs.spec as { http: unknown[] }).http = weightedRoutes(
          cd,
          primaryWeight,
          canaryWeight,
        );
      },
    );
    playSplit(this.traffic, cd, primaryWeight, canaryWeight);
  }

  getRoutes(cd: Canary): RouteWeights {
    return readRoutes(cd, this.virtualService(cd));
  }
}
