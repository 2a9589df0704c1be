import { LoggerService } from '@backstage/backend-plugin-api';
import {
  asString,
  CanaryAnalysisEvidence,
  CanaryLink,
  deriveCanaryProgress,
  KubeObject,
  readPath,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ResolvedCanary } from '../resolve/EntityResolver';
import { ObjectStore } from '../watch/ObjectStore';
import {
  ChangeListener,
  ChangeNotifier,
  ChangeSource,
  ObjectChange,
} from '../watch/types';
import { AnalysisConfig } from './AnalysisConfig';
import {
  AnalysisPointStore,
  CheckSeries,
  RolloutKey,
} from './AnalysisPointStore';
import {
  canarySituation,
  CanarySituation,
  ANALYSIS_PHASES,
  weightAt,
} from './canarySituation';
import {
  measureAt,
  measureRange,
  PreparedCheck,
  prepareChecks,
} from './checkEvaluation';
import { canaryLinks } from './links';
import { PrometheusQueries, PrometheusTransport } from './PrometheusClient';
import { RolloutEvidence } from './RolloutEvidence';
import { objectId } from '../watch/objectId';

export interface AnalysisEvaluatorOptions {
  config: AnalysisConfig;
  /** The watched clusters' names (the canaries already in the store are found through them). */
  clusterNames: () => string[];
  store: ObjectStore;
  resolver: {
    resolveCanary(cluster: string, canary: KubeObject): ResolvedCanary;
  };
  transport: PrometheusTransport;
  /** The database; without it points live in memory only. */
  points?: AnalysisPointStore;
  logger: LoggerService;
  /**
   * Whether every kind of a cluster has been listed: a canary is evaluated once its
   * MetricTemplates and router object can be in the store. Default: always.
   */
  listed?: (cluster: string) => boolean;
  /** The clock (ms); tests inject one. */
  now?: () => number;
}

/** How soon to look again at a canary whose cluster is still being listed. */
const LISTING_RETRY_MS = 1000;
/** How many times to ask the point store for the id of a rollout it has no row of yet. */
const MAX_ID_LOOKUPS = 5;

interface Job {
  key: string;
  cluster: string;
  namespace: string;
  name: string;
  timer?: ReturnType<typeof setTimeout>;
  running: boolean;
  /** Seen mid-rollout (at start-up): measure what the rollout had before, once. */
  backfill: boolean;
}

const revisionOf = (canary: KubeObject) =>
  asString(readPath(canary.status, 'lastAppliedSpec')) ?? '';

/**
 * Measures the analysis of every canary Flagger analyses (phase Progressing or
 * WaitingPromotion), as Flagger does, once per analysis interval: each check's query for the
 * canary and for the primary (at most checks × 2 instant queries per canary and interval, however
 * many people look). Canaries not under analysis have no timer and cost no query. A canary met
 * mid-rollout at start-up has its rollout so far measured with range queries. Points are kept in
 * memory (bounded) and written to the point store as they are measured; views read memory only.
 * A ChangeSource: each new measurement is a change of its canary.
 */
export class AnalysisEvaluator implements ChangeSource {
  private readonly jobs = new Map<string, Job>();
  private readonly evidence = new Map<string, RolloutEvidence>();
  /** Canaries seen so far: a canary seen for the first time under analysis is backfilled. */
  private readonly seen = new Set<string>();
  /** The revision whose stored evidence was last asked for, per canary not under analysis. */
  private readonly loads = new Map<string, string>();
  private readonly notifier = new ChangeNotifier();
  private readonly queries: PrometheusQueries;
  private readonly now: () => number;
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(private readonly options: AnalysisEvaluatorOptions) {
    this.queries = new PrometheusQueries(options.transport);
    this.now = options.now ?? Date.now;
  }

  subscribe(listener: ChangeListener): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Follows the store's canaries (call before the watchers start, to see the first lists). */
  start(): void {
    if (!this.options.config.enabled || this.unsubscribe) {
      return;
    }
    this.stopped = false;
    this.unsubscribe = this.options.store.subscribe(change =>
      this.onChange(change),
    );
    for (const cluster of this.options.clusterNames()) {
      for (const canary of this.options.store.list(cluster, 'Canary')) {
        this.follow(
          cluster,
          canary.metadata?.namespace ?? '',
          canary.metadata?.name ?? '',
        );
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const job of this.jobs.values()) {
      clearTimeout(job.timer);
    }
    this.jobs.clear();
  }

  /** The canaries being evaluated now, as `cluster/namespace/name`. */
  evaluating(): string[] {
    return [...this.jobs.values()].map(
      job => `${job.cluster}/${job.namespace}/${job.name}`,
    );
  }

  /**
   * What the state shows of a canary: its measured analysis (current revision) and its links.
   * Reads memory only; a canary not under analysis whose rollout is not in memory has it
   * loaded from the point store once, and its streams hear of it when it arrives.
   */
  evidenceOf(
    cluster: string,
    canary: KubeObject,
  ): { analysis?: CanaryAnalysisEvidence; links?: CanaryLink[] } {
    const links = canaryLinks(
      cluster,
      canary,
      this.options.config.clusters[cluster]?.links,
    );
    const result: { analysis?: CanaryAnalysisEvidence; links?: CanaryLink[] } =
      {};
    if (links.length > 0) {
      result.links = links;
    }
    const namespace = canary.metadata?.namespace ?? '';
    const name = canary.metadata?.name ?? '';
    const key = objectId(cluster, namespace, name);
    const revision = revisionOf(canary);
    const record = this.evidence.get(key);
    if (record && record.rollout.revision === revision) {
      result.analysis = record.toEvidence(this.jobs.has(key));
    } else if (!this.jobs.has(key) && revision) {
      this.loadStored(
        key,
        { cluster, namespace, canary: name, revision },
        canary,
      );
    }
    return result;
  }

  private onChange(change: ObjectChange): void {
    if (change.kind === 'Canary') {
      this.follow(change.cluster, change.namespace, change.name);
    }
  }

  /** Starts or stops a canary's evaluation as its phase enters or leaves the analysis. */
  private follow(cluster: string, namespace: string, name: string): void {
    const key = objectId(cluster, namespace, name);
    const canary = this.options.store.get(cluster, 'Canary', namespace, name);
    const firstSight = !this.seen.has(key);
    if (!canary) {
      this.seen.delete(key);
      this.stopJob(key);
      this.loads.delete(key);
      if (this.evidence.delete(key)) {
        this.changed(cluster, namespace, name);
      }
      return;
    }
    this.seen.add(key);
    const phase = asString(readPath(canary.status, 'phase')) ?? '';
    const job = this.jobs.get(key);
    if (ANALYSIS_PHASES.has(phase) && !job) {
      const started: Job = {
        key,
        cluster,
        namespace,
        name,
        running: false,
        backfill: firstSight,
      };
      this.jobs.set(key, started);
      void this.tick(started);
    } else if (!ANALYSIS_PHASES.has(phase) && job) {
      this.stopJob(key);
      this.changed(cluster, namespace, name);
    }
  }

  private stopJob(key: string): void {
    const job = this.jobs.get(key);
    if (job) {
      clearTimeout(job.timer);
      this.jobs.delete(key);
    }
  }

  private changed(cluster: string, namespace: string, name: string): void {
    this.notifier.emit({
      type: 'upsert',
      cluster,
      kind: 'Canary',
      namespace,
      name,
    });
  }

  /** One evaluation, then the next one an interval later, while the job lives. */
  private async tick(job: Job): Promise<void> {
    if (job.running || this.stopped || this.jobs.get(job.key) !== job) {
      return;
    }
    job.running = true;
    let intervalMs = 60_000;
    try {
      intervalMs = (await this.evaluate(job)) ?? intervalMs;
    } catch (error) {
      this.options.logger.warn(`analysis of ${job.key} failed: ${error}`);
    } finally {
      job.running = false;
    }
    if (!this.stopped && this.jobs.get(job.key) === job) {
      job.timer = setTimeout(() => void this.tick(job), intervalMs);
      job.timer.unref?.();
    }
  }

  /** Measures a canary's checks now; returns the interval to the next evaluation. */
  private async evaluate(job: Job): Promise<number | undefined> {
    const { cluster } = job;
    if (this.options.listed && !this.options.listed(cluster)) {
      return LISTING_RETRY_MS;
    }
    const canary = this.options.store.get(
      cluster,
      'Canary',
      job.namespace,
      job.name,
    );
    if (!canary) {
      return undefined;
    }
    const resolved = this.options.resolver.resolveCanary(cluster, canary);
    const situation = canarySituation(cluster, resolved, new Date(this.now()));
    if (!situation.underAnalysis) {
      return situation.intervalMs;
    }
    const checks = prepareChecks(
      cluster,
      canary,
      resolved.metricTemplates,
      this.options.config,
    );
    const { record, created } = await this.recordFor(job, situation, checks);
    if (!situation.runsChecks) {
      if (created) {
        this.changed(cluster, job.namespace, job.name);
      }
      return situation.intervalMs;
    }
    const at = this.now();
    const points = await Promise.all(
      checks.map(check =>
        measureAt(this.queries, check, at, situation.canaryWeight),
      ),
    );
    const series: CheckSeries[] = [];
    checks.forEach((check, i) => {
      const point = points[i];
      record.describe(check.description);
      record.setFault(
        check.description.metric,
        check.fault ?? point?.fault ?? point?.primaryFault,
      );
      if (point) {
        record.addPoints(check.description.metric, [point]);
        series.push({ ...check.description, points: [point] });
      }
    });
    record.lastEvaluatedAtMs = at;
    this.changed(cluster, job.namespace, job.name);
    await this.persist(record, series);
    return situation.intervalMs;
  }

  /** The rollout's evidence in memory: restored from the store, backfilled when met mid-way. */
  private async recordFor(
    job: Job,
    situation: CanarySituation,
    checks: PreparedCheck[],
  ): Promise<{ record: RolloutEvidence; created: boolean }> {
    const existing = this.evidence.get(job.key);
    if (existing && existing.rollout.revision === situation.revision) {
      existing.intervalMs = situation.intervalMs;
      return { record: existing, created: false };
    }
    const rollout: RolloutKey = {
      cluster: job.cluster,
      namespace: job.namespace,
      canary: job.name,
      revision: situation.revision,
    };
    const record = new RolloutEvidence(
      rollout,
      this.options.config.maxPoints,
      situation.intervalMs,
    );
    this.evidence.set(job.key, record);
    checks.forEach(check => record.describe(check.description));
    record.restore(await this.stored(rollout));
    if (job.backfill) {
      job.backfill = false;
      await this.backfill(record, situation, checks);
    }
    return { record, created: true };
  }

  /**
   * Measures the rollout between its start (or the stored points' end) and now, one point per
   * interval, with range queries: what the evaluator would have measured, had it been running.
   */
  private async backfill(
    record: RolloutEvidence,
    situation: CanarySituation,
    checks: PreparedCheck[],
  ): Promise<void> {
    const step = situation.intervalMs;
    const now = this.now();
    const storedEnd = record.endMs();
    const from = Math.max(
      storedEnd !== undefined
        ? storedEnd + step
        : situation.rolloutStartMs ?? now,
      now - this.options.config.maxPoints * step,
    );
    const times: number[] = [];
    for (let at = now - step; at >= from; at -= step) {
      times.unshift(at);
    }
    if (times.length === 0) {
      return;
    }
    const series: CheckSeries[] = [];
    for (const check of checks) {
      const { points, fault } = await measureRange(
        this.queries,
        check,
        times,
        step,
        at => weightAt(situation.events, at),
      );
      record.addPoints(check.description.metric, points);
      record.setFault(check.description.metric, check.fault ?? fault);
      if (points.length > 0) {
        series.push({ ...check.description, points });
      }
    }
    await this.persist(record, series);
  }

  private async stored(rollout: RolloutKey) {
    try {
      return (await this.options.points?.evidenceOf(rollout)) ?? { checks: [] };
    } catch (error) {
      this.options.logger.warn(
        `stored analysis of ${rollout.cluster}/${rollout.namespace}/${rollout.canary} unreadable: ${error}`,
      );
      return { checks: [] };
    }
  }

  private async persist(
    record: RolloutEvidence,
    series: CheckSeries[],
  ): Promise<void> {
    const { points } = this.options;
    if (!points || series.length === 0) {
      return;
    }
    try {
      await points.appendPoints(record.rollout, series);
      // The recorder writes the rollout's row on Flagger's "New revision detected!": ask for
      // its id after the first writes (a few times at most).
      if (record.rolloutId === undefined && record.idLookups < MAX_ID_LOOKUPS) {
        record.idLookups += 1;
        record.rolloutId = (await points.evidenceOf(record.rollout)).rolloutId;
      }
    } catch (error) {
      const { cluster, namespace, canary } = record.rollout;
      this.options.logger.warn(
        `analysis points of ${cluster}/${namespace}/${canary} not stored: ${error}`,
      );
    }
  }

  /** Loads a finished rollout's stored evidence once per revision; a change when it arrives. */
  private loadStored(
    key: string,
    rollout: RolloutKey,
    canary: KubeObject,
  ): void {
    if (
      !this.options.config.enabled ||
      !this.options.points ||
      this.loads.get(key) === rollout.revision
    ) {
      return;
    }
    this.loads.set(key, rollout.revision);
    void this.stored(rollout).then(stored => {
      const current = this.evidence.get(key);
      if (
        stored.checks.length === 0 ||
        this.jobs.has(key) ||
        current?.rollout.revision === rollout.revision
      ) {
        return;
      }
      const record = new RolloutEvidence(
        rollout,
        this.options.config.maxPoints,
        deriveCanaryProgress(canary).intervalMs,
      );
      record.restore(stored);
      this.evidence.set(key, record);
      this.changed(rollout.cluster, rollout.namespace, rollout.canary);
    });
  }
}
