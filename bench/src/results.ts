import { TargetName } from './backendConfig';
import { AnalysisLoadResult } from './analysis/analysisLoad';
import { LoadResult } from './load';
import { GrowthResult } from './growth/growthFigures';
import { PropagationResult } from './propagation';
import { StreamsResult } from './streams/streamsPhase';

/** Everything measured for one target (`ours`, `peer` or `ceiling`) of a run. */
export interface TargetResult {
  description: string;
  /** Process spawn until the first correct answer for an entity. */
  coldStartMs: number;
  /** Process spawn until every entity is in the catalog (and, for ours, every cluster synced). */
  readyMs: number;
  /** Spread sample checked before the load: answers naming the entity's canary in every cluster. */
  correctAnswers: { checked: number; correct: number };
  responseBytes: number;
  load: LoadResult;
  /**
   * Kubernetes API requests (all clusters, watches excluded) caused by the load, per entity
   * view sent (views unanswered at the end were still served).
   */
  k8sRequestsPerView: number;
  /** Kubernetes API requests during the load by verb (watch = a watch (re)connecting). */
  k8sRequestsDuringLoad: { total: number; byVerb: Record<string, number> };
  /** Backend process RSS when ready, before any load. */
  rssReadyMb: number;
  /** Live V8 heap when ready, after a forced full GC: what the process really keeps. */
  heapReadyMb: number;
  /** RSS right after that GC. */
  rssAfterGcReadyMb: number;
  /**
   * Live V8 heap and RSS after the measured load (and, for ours, the propagation samples),
   * after a forced full GC: the steady state, with start-up work (initial lists, history
   * records of every canary) done.
   */
  heapAfterLoadMb?: number;
  rssAfterGcAfterLoadMb?: number;
  /** Backend process RSS after the warm-up load, and its peak over the run. */
  rssMb: number;
  rssPeakMb: number;
  /** RSS minus the ceiling's: what the plugin adds to the same backend (catalog, permissions). */
  rssAboveCeilingMb?: number;
  /** CPU time per entity view sent, of the backend and of the simulated clusters. */
  cpuMsPerView: number;
  clusterCpuMsPerView: number;
  /** Objects held in memory (ours only). */
  cachedObjects?: number;
  /** Status change in a cluster until our API / live channel shows it (ours only). */
  propagation?: PropagationResult;
  /** Ours: the analysis evaluator's Prometheus queries while canaries are under analysis. */
  analysis?: AnalysisLoadResult;
  /** Ours: many open live streams while canaries change at a steady rate. */
  streams?: StreamsResult;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started (other work on the machine). */
  loadAverageAtStart: number;
}

export interface BenchParams {
  quick: boolean;
  clusters: number;
  canariesPerCluster: number;
  entities: number;
  /** Objects in all simulated clusters (every kind, not only those the plugins read). */
  clusterObjects: number;
  connections: number;
  durationS: number;
  warmupS: number;
  propagationSamples: number;
  analysisCanaries?: number;
  /** The streams phase (ours): streams, entities, changes per second, seconds; 0 streams: skipped. */
  streams?: number;
  streamEntities?: number;
  streamRate?: number;
  streamDurationS?: number;
}

export interface BenchResults {
  machine: MachineInfo;
  date: string;
  params: BenchParams;
  ours?: TargetResult;
  peer?: TargetResult;
  ceiling?: TargetResult;
  /** Ours (and optionally the peer) at 1x, 2x and 4x the objects. */
  growth?: GrowthResult;
  targets: TargetCheck[];
}

/** One of the targets, judged on a run's figures. */
export interface TargetCheck {
  goal: string;
  measured: string;
  /** null: the run cannot judge it (a target missing, or not at the scale the goal names). */
  met: boolean | null;
}

export type ResultsByTarget = Partial<Record<TargetName, TargetResult>>;
