import { KubeObject } from '../kubernetes';
import { asString, readPath } from './read';

/**
 * The source a Kustomization or HelmRelease reads from: `spec.sourceRef` (Kustomization),
 * `spec.chartRef` or `spec.chart.spec.sourceRef` (HelmRelease). The namespace defaults to the
 * object's own.
 *
 * @public
 */
export function fluxSourceRef(
  object: KubeObject,
): { kind: string; namespace: string; name: string } | undefined {
  const ref =
    readPath(object.spec, 'sourceRef') ??
    readPath(object.spec, 'chartRef') ??
    readPath(object.spec, 'chart', 'spec', 'sourceRef');
  const kind = asString(readPath(ref, 'kind'));
  const name = asString(readPath(ref, 'name'));
  if (!kind || !name) {
    return undefined;
  }
  return {
    kind,
    name,
    namespace:
      asString(readPath(ref, 'namespace')) ?? object.metadata?.namespace ?? '',
  };
}
