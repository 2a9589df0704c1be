import {
  asString,
  FLUX_OWNER_LABELS,
  fluxSourceRef,
  KubeObject,
  readPath,
} from '@internal/plugin-progressive-delivery-common';
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

export interface FluxObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The HelmChart helm-controller makes from a HelmRelease's chart template (`spec.chart`):
 * `status.helmChart` (`namespace/name`) once it exists, else the name the controller gives it,
 * `<release namespace>-<release name>` in the namespace of the chart's source
 * (helm-controller v1.6 api/v2 GetHelmChartName, internal/reconcile/helmchart_template.go).
 * A release that names its chart with `spec.chartRef` has none: its sourceRef is the chart.
 */
export function helmChartOf(
  helmRelease: KubeObject,
): FluxObjectRef | undefined {
  if (helmRelease.kind !== 'HelmRelease') {
    return undefined;
  }
  const status = asString(readPath(helmRelease.status, 'helmChart'));
  const [statusNamespace, statusName] = status?.split('/') ?? [];
  if (statusNamespace && statusName) {
    return { kind: 'HelmChart', namespace: statusNamespace, name: statusName };
  }
  if (readPath(helmRelease.spec, 'chart') === undefined) {
    return undefined;
  }
  const namespace = helmRelease.metadata?.namespace ?? '';
  return {
    kind: 'HelmChart',
    namespace:
      asString(
        readPath(helmRelease.spec, 'chart', 'spec', 'sourceRef', 'namespace'),
      ) || namespace,
    name: `${namespace}-${helmRelease.metadata?.name ?? ''}`,
  };
}

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
 * template's HelmRepository / GitRepository / Bucket), the HelmChart made from a chart template,
 * and the source of every HelmChart among them. An ExternalArtifact's `spec.sourceRef` names the
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
  for (const source of [get(fluxSourceRef(owner)), get(helmChartOf(owner))]) {
    if (source?.kind === 'HelmChart') {
      get(fluxSourceRef(source));
    }
  }
  return found;
}
