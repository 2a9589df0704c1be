import { ObjectStore } from '../../api/ObjectStore';
import { KubeObject } from '../../types';
import { condition, setConditions } from '../conditions';
import { SOURCE_API, SourceRef } from '../kinds';
import { sourceArtifact } from './artifacts';

/** The chart a HelmRelease names (`spec.chart.spec`). */
export interface HelmChartTemplate {
  chart: string;
  version?: string;
  sourceRef: SourceRef;
}

/**
 * HelmChart `<namespace>-<release>` beside its HelmRepository: helm-controller
 * creates it for a HelmRelease and source-controller packages the chart; the
 * simulator does both in one step, when the release is installed or upgraded.
 */
export class HelmChartReconciler {
  constructor(private readonly store: ObjectStore) {}

  /** Creates or updates the release's HelmChart, ready with `version` packaged. */
  reconcileFor(
    hr: KubeObject,
    template: HelmChartTemplate,
    repoNs: string,
    version: string,
    now: number,
  ): void {
    const name = `${hr.metadata.namespace}-${hr.metadata.name}`;
    const existing = this.store.getByKind(
      SOURCE_API,
      'HelmChart',
      repoNs,
      name,
    );
    const base: KubeObject = existing ?? {
      apiVersion: SOURCE_API,
      kind: 'HelmChart',
      metadata: { name, namespace: repoNs },
      spec: {},
    };
    const obj: KubeObject = {
      ...base,
      spec: {
        chart: template.chart,
        version: template.version ?? '*',
        sourceRef: { kind: 'HelmRepository', name: template.sourceRef.name },
        interval: '10m',
        reconcileStrategy: 'ChartVersion',
      },
    };
    const stored = existing ? this.store.update(obj) : this.store.create(obj);
    const generation = stored.metadata.generation;
    const message = `packaged '${template.chart}' chart with version '${version}'`;
    this.store.mutate(SOURCE_API, 'HelmChart', repoNs, name, c => {
      c.status = {
        observedGeneration: generation,
        observedChartName: template.chart,
        artifact: sourceArtifact(stored, version, now),
        conditions: setConditions(
          [],
          [
            condition(
              'Ready',
              'True',
              'ChartPullSucceeded',
              message,
              generation,
            ),
            condition(
              'ArtifactInStorage',
              'True',
              'Succeeded',
              message,
              generation,
            ),
          ],
          now,
        ),
      };
    });
  }
}
