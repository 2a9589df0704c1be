import { KubeObject } from '../kubernetes';
import { asString, readPath } from './read';

/**
 * A reference from one Flux object to another in the same cluster.
 *
 * @public
 */
export interface FluxObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

function readRef(ref: unknown, defaultNamespace: string) {
  const kind = asString(readPath(ref, 'kind'));
  const name = asString(readPath(ref, 'name'));
  if (!kind || !name) {
    return undefined;
  }
  return {
    kind,
    name,
    namespace: asString(readPath(ref, 'namespace')) ?? defaultNamespace,
  };
}

/**
 * The source a Kustomization or HelmRelease reads from: `spec.sourceRef` (Kustomization:
 * GitRepository, OCIRepository, Bucket, ExternalArtifact), `spec.chartRef` (HelmRelease:
 * OCIRepository, HelmChart) or `spec.chart.spec.sourceRef` (HelmRelease chart template:
 * HelmRepository, GitRepository, Bucket). The namespace defaults to the object's own.
 *
 * @public
 */
export function fluxSourceRef(object: KubeObject): FluxObjectRef | undefined {
  return readRef(
    readPath(object.spec, 'sourceRef') ??
      readPath(object.spec, 'chartRef') ??
      readPath(object.spec, 'chart', 'spec', 'sourceRef'),
    object.metadata?.namespace ?? '',
  );
}

/**
 * The HelmChart helm-controller makes from a HelmRelease's chart template: `status.helmChart`
 * (`namespace/name`) once reported, else the name it will use (helm-controller
 * GetHelmChartName: `<namespace>-<name>`, in the template's source namespace).
 */
function templateHelmChart(release: KubeObject): FluxObjectRef | undefined {
  const sourceRef = readPath(release.spec, 'chart', 'spec', 'sourceRef');
  const namespace = release.metadata?.namespace ?? '';
  if (release.kind !== 'HelmRelease' || !readRef(sourceRef, namespace)) {
    return undefined;
  }
  const reported = asString(readPath(release.status, 'helmChart'))?.split('/');
  if (reported?.length === 2 && reported[0] && reported[1]) {
    return { kind: 'HelmChart', namespace: reported[0], name: reported[1] };
  }
  return {
    kind: 'HelmChart',
    namespace: asString(readPath(sourceRef, 'namespace')) ?? namespace,
    name: `${namespace}-${release.metadata?.name ?? ''}`,
  };
}

/**
 * Every source reference of a Flux object, as `FluxResource` carries them: `sourceRef` (see
 * {@link fluxSourceRef}) and, for a HelmRelease with a chart template, `chartRef`: the HelmChart
 * Flux made from it. A HelmRelease with `spec.chartRef` names its HelmChart or OCIRepository
 * as `sourceRef` directly.
 *
 * @public
 */
export function fluxSourceRefs(object: KubeObject): {
  sourceRef?: FluxObjectRef;
  chartRef?: FluxObjectRef;
} {
  const sourceRef = fluxSourceRef(object);
  const chartRef = readPath(object.spec, 'chartRef')
    ? undefined
    : templateHelmChart(object);
  return {
    ...(sourceRef ? { sourceRef } : {}),
    ...(chartRef ? { chartRef } : {}),
  };
}
