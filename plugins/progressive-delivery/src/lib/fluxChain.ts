import {
  CanaryState,
  ClusterDeliveryState,
  FluxResource,
  ObjectRef,
} from '@progressive-delivery/plugin-progressive-delivery-common';

function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return (
    a.cluster === b.cluster &&
    a.kind === b.kind &&
    a.namespace === b.namespace &&
    a.name === b.name
  );
}

/** The Flux objects upstream of a canary, in delivery order. */
export interface FluxChain {
  /** The Kustomization or HelmRelease that applied the canary or its target. */
  owner?: FluxResource;
  /** The HelmChart a HelmRelease installs from (`chartRef`, or a HelmChart `sourceRef`). */
  chart?: FluxResource;
  /** Where the artifact comes from: Git, OCI, Bucket, ExternalArtifact, HelmRepository. */
  source?: FluxResource;
  /** The ref of the chart or source when the object itself is not in the cluster's list. */
  chartRef?: ObjectRef;
  sourceRef?: ObjectRef;
}

/** The owner, its HelmChart (when it installs from one) and the source behind them. */
export function fluxChainOf(
  cluster: ClusterDeliveryState,
  canary: Pick<CanaryState, 'fluxOwner'>,
): FluxChain {
  const find = (ref?: ObjectRef) =>
    ref ? cluster.flux.find(f => sameRef(f.ref, ref)) : undefined;
  const owner = find(canary.fluxOwner);
  const chartRef =
    owner?.chartRef ??
    (owner?.sourceRef?.kind === 'HelmChart' ? owner.sourceRef : undefined);
  const chart = find(chartRef);
  const sourceRef = chartRef ? chart?.sourceRef : owner?.sourceRef;
  return { owner, chart, source: find(sourceRef), chartRef, sourceRef };
}

/** Flux objects not shown in any canary's chain (e.g. a Kustomization with no canary). */
export function fluxOutsideChains(
  cluster: ClusterDeliveryState,
): FluxResource[] {
  const shown = new Set<FluxResource | undefined>();
  for (const canary of cluster.canaries) {
    const { owner, chart, source } = fluxChainOf(cluster, canary);
    shown.add(owner).add(chart).add(source);
  }
  return cluster.flux.filter(f => !shown.has(f));
}
