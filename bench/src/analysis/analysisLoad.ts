import {
  CANARIES_PER_NAMESPACE,
  scaleCanaryName,
} from '@internal/cluster-simulator';
import { SimulatedClusterInfo } from '../backendConfig';
import { SimulatorProcess } from '../SimulatorProcess';
import { PrometheusStandIn } from './PrometheusStandIn';

/** What the analysis evaluator cost during the measured window. */
export interface AnalysisLoadResult {
  /** Canaries put under analysis (phase Progressing), over all clusters. */
  progressingCanaries: number;
  /** Of those, still Progressing when the window closed. */
  stillProgressing: number;
  /** Metric checks per canary (spec.analysis.metrics). */
  checksPerCanary: number;
  windowS: number;
  instantQueries: number;
  rangeQueries: number;
  /** Instant queries per second the evaluator sent in the window. */
  queriesPerSecond: number;
  /** The ceiling: checks x 2 per progressing canary per analysis interval. */
  boundQueriesPerSecond: number;
}

interface CanaryRef {
  cluster: SimulatedClusterInfo;
  namespace: string;
  name: string;
}

interface CanaryObject {
  spec?: { analysis?: { interval?: string; metrics?: unknown[] } };
  status?: { phase?: string };
}

/** Go durations as Flagger's intervals use them (`30s`, `1m`, `1m30s`). */
export function durationSeconds(value: string | undefined): number {
  const match = (value ?? '').match(/^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/);
  if (!value || !match) return 60;
  const [, h, m, s] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** `count` canaries per cluster, spread over the cluster's namespaces. */
export function spreadCanaries(
  clusters: SimulatedClusterInfo[],
  canariesPerCluster: number,
  count: number,
): CanaryRef[] {
  const stride = Math.max(1, Math.floor(canariesPerCluster / count));
  const refs: CanaryRef[] = [];
  for (const cluster of clusters) {
    for (let i = 0; i < canariesPerCluster && i / stride < count; i += stride) {
      const team = Math.floor(i / CANARIES_PER_NAMESPACE) + 1;
      const namespace = `team-${String(team).padStart(3, '0')}`;
      refs.push({ cluster, namespace, name: scaleCanaryName(i) });
    }
  }
  return refs;
}

const canaryPath = (ref: CanaryRef) =>
  `/apis/flagger.app/v1beta1/namespaces/${ref.namespace}/canaries/${ref.name}`;

/**
 * Puts canaries under analysis (a status patch to phase Progressing, as Flagger writes it when
 * a new revision arrives), lets the evaluator query the stand-in for a window of at least one
 * full analysis interval of every canary, and reports the query rate against the bound.
 * The window runs while the caller's load runs, so viewers cannot hide a per-view query.
 */
export class AnalysisLoad {
  private windowStart = 0;
  private bound = 0;
  private checks = 0;
  private longestIntervalS = 0;

  constructor(
    private readonly simulator: SimulatorProcess,
    private readonly standIn: PrometheusStandIn,
    private readonly canaries: CanaryRef[],
  ) {}

  /** Patches the canaries to Progressing; the window opens after the first round of queries. */
  async begin(settleMs = 5_000): Promise<void> {
    for (const ref of this.canaries) {
      const res = await this.simulator.request(ref.cluster, canaryPath(ref));
      const canary = JSON.parse(res.body) as CanaryObject;
      const intervalS = durationSeconds(canary.spec?.analysis?.interval);
      const checks = canary.spec?.analysis?.metrics?.length ?? 0;
      this.checks = Math.max(this.checks, checks);
      this.bound += (checks * 2) / intervalS;
      this.longestIntervalS = Math.max(this.longestIntervalS, intervalS);
      const patched = await this.simulator.request(
        ref.cluster,
        `${canaryPath(ref)}/status`,
        {
          method: 'PATCH',
          contentType: 'application/merge-patch+json',
          body: {
            // Iterations 1: past the first iteration Flagger (and the evaluator) run the
            // checks even while the router still sends 0 % to the canary.
            status: {
              phase: 'Progressing',
              iterations: 1,
              lastTransitionTime: new Date().toISOString(),
            },
          },
        },
      );
      if (patched.status !== 200) {
        throw new Error(
          `status patch of ${ref.cluster.name}/${ref.namespace}/${ref.name} failed: ${patched.status} ${patched.body}`,
        );
      }
    }
    await new Promise(resolve => setTimeout(resolve, settleMs));
    this.standIn.reset();
    this.windowStart = performance.now();
  }

  /** Waits until the window spans the longest interval (plus a second), then reports. */
  async end(): Promise<AnalysisLoadResult> {
    const windowMs = (this.longestIntervalS + 1) * 1000;
    const wait = this.windowStart + windowMs - performance.now();
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
    const counts = this.standIn.read();
    const windowS = (performance.now() - this.windowStart) / 1000;
    let stillProgressing = 0;
    for (const ref of this.canaries) {
      const res = await this.simulator.request(ref.cluster, canaryPath(ref));
      const canary = JSON.parse(res.body) as CanaryObject;
      if (canary.status?.phase === 'Progressing') stillProgressing++;
    }
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      progressingCanaries: this.canaries.length,
      stillProgressing,
      checksPerCanary: this.checks,
      windowS: round(windowS),
      instantQueries: counts.instant,
      rangeQueries: counts.range,
      queriesPerSecond: round(counts.instant / windowS),
      boundQueriesPerSecond: round(this.bound),
    };
  }
}
