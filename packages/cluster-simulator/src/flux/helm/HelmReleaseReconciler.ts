import { KubeObject } from '../../types';
import { isoTime } from '../../util/time';
import {
  condition,
  conditionsOf,
  removeCondition,
  setCondition,
  setConditions,
} from '../conditions';
import { sha256Hex } from '../digests';
import { FluxReconciler, FluxReconcilerDeps } from '../FluxReconciler';
import { SOURCE_API } from '../kinds';
import {
  HelmChartReconciler,
  HelmChartTemplate,
} from '../sources/HelmChartReconciler';
import { ChartRelease, installChartWorkload } from './chartWorkload';

interface HelmReleaseSpec {
  interval?: string;
  suspend?: boolean;
  releaseName?: string;
  targetNamespace?: string;
  storageNamespace?: string;
  chart: { spec: HelmChartTemplate };
  test?: { enable?: boolean };
  values?: Record<string, unknown>;
}

type HistoryEntry = Record<string, unknown>;

/** One Helm install or upgrade, as helm-controller records it. */
interface ReleaseRun extends ChartRelease {
  /** Helm's release revision (`.v<n>`). */
  revision: number;
  action: 'install' | 'upgrade';
  repoNs: string;
  previous: HistoryEntry[];
}

/**
 * helm-controller: installs or upgrades a HelmRelease's chart (through its
 * HelmChart) when its generation changes or a reconcile is requested, with
 * the Ready/Released/TestSuccess conditions and the release history.
 */
export class HelmReleaseReconciler extends FluxReconciler {
  private readonly charts: HelmChartReconciler;

  constructor(deps: FluxReconcilerDeps) {
    super('HelmRelease', 'helm-controller', deps);
    this.charts = new HelmChartReconciler(deps.store);
  }

  reconcile(hr: KubeObject): undefined {
    const spec = hr.spec as HelmReleaseSpec;
    const ns = hr.metadata.namespace ?? '';
    const generation = hr.metadata.generation ?? 1;
    const status = (hr.status ?? {}) as {
      observedGeneration?: number;
      history?: HistoryEntry[];
    };
    const chartRef = spec.chart.spec;
    const repoNs = chartRef.sourceRef.namespace ?? ns;
    if (
      !this.store.getByKind(
        SOURCE_API,
        'HelmRepository',
        repoNs,
        chartRef.sourceRef.name,
      )
    ) {
      this.chartNotReady(hr, repoNs);
      return undefined;
    }
    const history = status.history ?? [];
    const needsRelease =
      status.observedGeneration !== generation ||
      history.length === 0 ||
      this.requestedPending(hr);
    if (!needsRelease) {
      this.writeStatus(hr, () => {});
      return undefined;
    }
    const chartVersion = /^[\d.]+(-[\w.]+)?$/.test(chartRef.version ?? '')
      ? chartRef.version!
      : '1.0.0';
    this.release(hr, {
      release: spec.releaseName ?? hr.metadata.name,
      namespace: spec.targetNamespace ?? ns,
      chart: chartRef.chart,
      version: chartVersion,
      values: spec.values ?? {},
      revision: Number(history[0]?.version ?? 0) + 1,
      action: history.length === 0 ? 'install' : 'upgrade',
      repoNs,
      previous: history,
    });
    return undefined;
  }

  private chartNotReady(hr: KubeObject, repoNs: string): void {
    const message = `HelmChart '${repoNs}/${hr.metadata.namespace ?? ''}-${
      hr.metadata.name
    }' is not ready: latest generation of object has not been reconciled`;
    this.markNotReady(
      hr,
      'ArtifactFailed',
      message,
      hr.metadata.generation ?? 1,
    );
  }

  private release(hr: KubeObject, run: ReleaseRun): void {
    const spec = hr.spec as HelmReleaseSpec;
    const now = this.now;
    const generation = hr.metadata.generation ?? 1;
    this.charts.reconcileFor(hr, spec.chart.spec, run.repoNs, run.version, now);
    installChartWorkload(this.store, hr, run);
    const chartId = `${run.chart}@${run.version}`;
    const releaseId = `${run.namespace}/${run.release}.v${run.revision}`;
    const reason =
      run.action === 'install' ? 'InstallSucceeded' : 'UpgradeSucceeded';
    const message = `Helm ${run.action} succeeded for release ${releaseId} with chart ${chartId}`;
    this.writeStatus(hr, st => {
      let conditions = setConditions(
        removeCondition(conditionsOf(st), 'Reconciling'),
        [
          condition('Ready', 'True', reason, message, generation),
          condition('Released', 'True', reason, message, generation),
        ],
        now,
      );
      if (spec.test?.enable) {
        conditions = setCondition(
          conditions,
          condition(
            'TestSuccess',
            'True',
            'TestSucceeded',
            `Helm test succeeded for release ${releaseId} with chart ${chartId}: no test hooks`,
            generation,
          ),
          now,
        );
      }
      st.conditions = conditions;
      st.observedGeneration = generation;
      st.lastAttemptedGeneration = generation;
      st.lastAttemptedRevision = run.version;
      st.lastAttemptedConfigDigest = configDigest(run.values);
      st.lastAttemptedReleaseAction = run.action;
      st.helmChart = `${run.repoNs}/${hr.metadata.namespace ?? ''}-${
        hr.metadata.name
      }`;
      st.storageNamespace = spec.storageNamespace ?? run.namespace;
      st.history = releaseHistory(run, now);
    });
    this.recordEvent(hr, 'Normal', reason, message);
  }
}

function configDigest(values: Record<string, unknown>): string {
  return `sha256:${sha256Hex(JSON.stringify(values))}`;
}

/** The new release first, then up to four superseded ones. */
function releaseHistory(run: ReleaseRun, now: number): HistoryEntry[] {
  const chartId = `${run.chart}@${run.version}`;
  const appVersion =
    (run.values.image as { tag?: string } | undefined)?.tag ?? run.version;
  return [
    {
      appVersion,
      chartName: run.chart,
      chartVersion: run.version,
      configDigest: configDigest(run.values),
      digest: `sha256:${sha256Hex(
        `${run.release}/${run.revision}/${chartId}`,
      )}`,
      firstDeployed:
        (run.previous[run.previous.length - 1]?.firstDeployed as string) ??
        isoTime(now),
      lastDeployed: isoTime(now),
      name: run.release,
      namespace: run.namespace,
      status: 'deployed',
      version: run.revision,
    },
    ...run.previous.slice(0, 4).map(h => ({ ...h, status: 'superseded' })),
  ];
}
