import {
  CanaryState,
  ClusterDeliveryState,
  FluxResource,
  ObjectRef,
} from '@internal/plugin-progressive-delivery-common';

function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return (
    a.cluster === b.cluster &&
    a.kind === b.kind &&
    a.namespace === b.namespace &&
    a.name === b.name
  );
}

/** The Flux objects upstream of a canary: the Kustomization or HelmRelease and its source. */
export function fluxChainOf(
  cluster: ClusterDeliveryState,
  canary: Pick<CanaryState, 'fluxOwner'>,
): { owner?: FluxResource; source?: FluxResource } {
  const owner = canary.fluxOwner
    ? cluster.flux.find(f => sameRef(f.ref, canary.fluxOwner!))
    : undefined;
  const sourceRef = owner?.sourceRef;
  const source = sourceRef
    ? cluster.flux.find(f => sameRef(f.ref, sourceRef))
    : undefined;
  return { owner, source };
}

/** Flux objects not shown in any canary's chain (e.g. a Kustomization with no canary). */
export function fluxOutsideChains(
  cluster: ClusterDeliveryState,
): FluxResource[] {
  const shown = new Set<FluxResource>();
  for (const canary of cluster.canaries) {
    const { owner, source } = fluxChainOf(cluster, canary);
    if (owner) shown.add(owner);
    if (source) shown.add(source);
  }
  return cluster.flux.filter(f => !shown.has(f));
}
