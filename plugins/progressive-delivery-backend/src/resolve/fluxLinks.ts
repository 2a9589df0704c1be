import {
  FLUX_OWNER_LABELS,
  FluxObjectRef,
  fluxSourceRef,
  fluxSourceRefs,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ObjectStore } from '../watch/ObjectStore';

/** The Flux source kinds a Kustomization, HelmRelease or HelmChart can read from. */
export const FLUX_SOURCE_KINDS = [
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
  'HelmChart',
  'Bucket',
  'ExternalArtifact',
];

/** What the Flux links are followed through. */
export type FluxLookup = Pick<ObjectStore, 'get'>;

/** The Kustomization or HelmRelease whose Flux owner labels the object carries. */
export function fluxOwnerOf(
  store: FluxLookup,
  cluster: string,
  object: KubeObject,
): KubeObject | undefined {
  const labels = object.metadata?.labels ?? {};
  const kustomization = labels[FLUX_OWNER_LABELS.kustomizationName];
  const helmRelease = labels[FLUX_OWNER_LABELS.helmReleaseName];
  if (helmRelease) {
    const namespace = labels[FLUX_OWNER_LABELS.helmReleaseNamespace] ?? '';
    return store.get(cluster, 'HelmRelease', namespace, helmRelease);
  }
  if (kustomization) {
    const namespace = labels[FLUX_OWNER_LABELS.kustomizationNamespace] ?? '';
    return store.get(cluster, 'Kustomization', namespace, kustomization);
  }
  return undefined;
}

/**
 * The sources behind a Kustomization or HelmRelease, nearest first: the source it names
 * (Kustomization `spec.sourceRef`: GitRepository, OCIRepository, Bucket, ExternalArtifact;
 * HelmRelease `spec.chartRef`: OCIRepository, HelmChart, ExternalArtifact, or the chart
 * template's HelmRepository / GitRepository / Bucket), the HelmChart helm-controller made from a
 * chart template (`fluxSourceRefs` chartRef), and the source of every HelmChart among them. An ExternalArtifact's `spec.sourceRef` names the
 * third-party object that produced it, not a Flux source, so it is not followed.
 */
export function fluxSourcesOf(
  store: FluxLookup,
  cluster: string,
  owner: KubeObject,
): KubeObject[] {
  const found: KubeObject[] = [];
  const get = (ref: FluxObjectRef | undefined) => {
    const object =
      ref && FLUX_SOURCE_KINDS.includes(ref.kind)
        ? store.get(cluster, ref.kind, ref.namespace, ref.name)
        : undefined;
    if (object && !found.includes(object)) {
      found.push(object);
    }
    return object;
  };
  const { sourceRef, chartRef } = fluxSourceRefs(owner);
  for (const source of [get(sourceRef), get(chartRef)]) {
    if (source?.kind === 'HelmChart') {
      get(fluxSourceRef(source));
    }
  }
  return found;
}
