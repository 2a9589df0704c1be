import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysisLoad, spreadCanaries } from './analysis/analysisLoad';
import { PrometheusStandIn } from './analysis/PrometheusStandIn';
import { TargetName } from './backendConfig';
import { BackendProcess, freePort } from './BackendProcess';
import {
  CATALOG_COUNT_VIEW,
  catalogCopyFor,
  holdsEntities,
  seedCatalog,
} from './catalogSeed';
import { entityOrder, runLoad } from './load';
import { BenchOptions } from './options';
import { HeapProbe } from './HeapProbe';
import { writeHeapSnapshot, writeHeapSummary } from './heap/heapReport';
import { readCpuMs, readMemoryMb } from './processStats';
import { measurePropagation } from './propagation';
import { checkTargets } from './report';
import { BenchResults, MachineInfo, TargetResult } from './results';
import { SIMULATOR_TOKEN, SimulatorProcess } from './SimulatorProcess';
import { measureStreams, StreamsResult } from './streams/streamsPhase';
import {
  pickStreamEntities,
  viewersNeeded,
  viewerTokens,
} from './streams/streamPlan';
import { TARGETS, TargetDefinition } from './targets';
import { buildBenchBackend } from './serverBuild';
import { BenchParams } from './results';

const LOAD_TOKEN = 'bench-load-generator-token';
/** Entities checked for a correct answer before the load. */
const CORRECTNESS_SAMPLE = 20;
const START_TIMEOUT_MS = 15 * 60_000;
const CLUSTERS_PATH = '/api/progressive-delivery/v1/clusters';

export function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

/** The parameters a run records; `clusterObjects` as the simulator counted them. */
export function benchParams(
  options: BenchOptions,
  clusterObjects: number,
): BenchParams {
  return {
    quick: options.quick,
    clusters: options.clusters,
    canariesPerCluster: options.canaries,
    entities: options.canaries,
    clusterObjects,
    connections: options.connections,
    durationS: options.durationS,
    warmupS: options.warmupS,
    propagationSamples: options.propagationSamples,
    analysisCanaries: options.analysisCanaries,
    streams: options.streams,
    streamEntities: options.streamEntities,
    streamRate: options.streamRate,
    streamDurationS: options.streamDurationS,
  };
}

interface ClustersPage {
  items?: Array<{ state?: string; kinds?: Array<{ objects?: number }> }>;
}

function json<T>(body: string): T | undefined {
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

/** One target's backend under measurement, with its correctness check. */
class TargetRun {
  readonly clusterNames: string[];

  constructor(
    readonly target: TargetDefinition,
    readonly simulator: SimulatorProcess,
    readonly backend: BackendProcess,
    readonly order: number[],
  ) {
    this.clusterNames = simulator.clusters.map(c => c.name);
  }

  correct(i: number) {
    return (res: { status: number; body: string }) =>
      this.target.isCorrect(res.status, res.body, i, this.clusterNames);
  }
}

/**
 * One benchmark run: the simulator in one process, then each backend in turn in its own
 * process against it, so every backend has the machine to itself while measured.
 */
export class Bench {
  private readonly order: number[];
  private ceilingBodyFile?: string;
  private clusterObjects = 0;
  /** The catalog database filled once, copied for each target (unless `emptyCatalog`). */
  private catalogSeed?: string;
  private prometheus?: PrometheusStandIn;
  /** Ours: a token per simulated user of the live streams. */
  private readonly viewerTokens: string[];
  /** The built benchmark backend, unless the backends run from source. */
  private builtEntry?: string;

  constructor(
    private readonly options: BenchOptions,
    private readonly log: (line: string) => void,
  ) {
    this.order = entityOrder(options.canaries);
    this.viewerTokens =
      options.streams > 0
        ? viewerTokens(viewersNeeded(options.streams, options.streamEntities))
        : [];
  }

  async run(): Promise<BenchResults> {
    const { options } = this;
    const machine = machineInfo();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-'));
    if (!options.fromSource) {
      this.log(
        'building the benchmark backend (esbuild, our packages bundled)',
      );
      this.builtEntry = await buildBenchBackend();
    }
    this.log(
      `starting the simulator: ${options.clusters} clusters x ${options.canaries} canaries (logs in ${workDir})`,
    );
    const simulator = await SimulatorProcess.start({
      clusters: options.clusters,
      canaries: options.canaries,
      workDir,
    });
    this.clusterObjects = simulator.objects;
    if (!options.emptyCatalog) {
      this.catalogSeed = await seedCatalog({
        workDir,
        entities: options.canaries,
        token: LOAD_TOKEN,
        clusters: simulator.clusters,
        clusterToken: SIMULATOR_TOKEN,
        caFile: simulator.caFile,
        timeoutMs: START_TIMEOUT_MS,
        log: this.log,
      });
    }
    const results: Partial<Record<TargetName, TargetResult>> = {};
    this.prometheus = await PrometheusStandIn.start();
    try {
      for (const name of options.targets) {
        results[name] = await this.measure(TARGETS[name], simulator, workDir);
      }
    } finally {
      await simulator.stop();
      await this.prometheus.stop();
    }
    const { ceiling } = results;
    if (options.heapProfileDir) {
      for (const phase of ['ready', 'after-load'] as const) {
        writeHeapSummary(
          options.heapProfileDir,
          results.ours?.cachedObjects ?? 0,
          this.log,
          phase,
        );
      }
    }
    for (const measured of [results.ours, results.peer]) {
      if (measured && ceiling) {
        measured.rssAboveCeilingMb = measured.rssMb - ceiling.rssMb;
      }
    }
    return {
      machine,
      date: new Date().toISOString(),
      params: benchParams(options, this.clusterObjects),
      ...results,
      targets: checkTargets(results),
    };
  }

  private async measure(
    target: TargetDefinition,
    simulator: SimulatorProcess,
    workDir: string,
  ): Promise<TargetResult> {
    this.log(`${target.name}: starting its backend`);
    const backend = await this.startBackend(target, simulator, workDir);
    try {
      const run = new TargetRun(target, simulator, backend, this.order);
      const { coldStartMs, readyMs } = await this.waitUntilReady(run);
      const rssReadyMb = readMemoryMb(backend.pid).rss;
      const heap = new HeapProbe(backend.inspectorPort);
      const ready = await heap.measure();
      await writeHeapSnapshot(
        heap,
        this.options.heapProfileDir,
        target.name,
        'ready',
        this.log,
      );
      const sample = await this.checkSample(run, workDir);
      const analysis = await this.beginAnalysisLoad(run);
      const load = await this.runLoad(run);
      const measured: TargetResult = {
        description: target.description,
        coldStartMs: Math.round(coldStartMs),
        readyMs: Math.round(readyMs),
        correctAnswers: { checked: sample.checked, correct: sample.checked },
        responseBytes: sample.responseBytes,
        rssReadyMb,
        heapReadyMb: ready.heapUsedMb,
        rssAfterGcReadyMb: ready.rssMb,
        rssPeakMb: 0,
        ...load,
      };
      if (analysis) {
        measured.analysis = await analysis.end();
      }
      if (target.name === 'ours') {
        await this.measureOursOnly(run, measured);
      }
      measured.rssPeakMb = readMemoryMb(backend.pid).peak;
      const steady = await heap.measure();
      measured.heapAfterLoadMb = steady.heapUsedMb;
      measured.rssAfterGcAfterLoadMb = steady.rssMb;
      await writeHeapSnapshot(
        heap,
        this.options.heapProfileDir,
        target.name,
        'after-load',
        this.log,
      );
      this.log(
        `${target.name}: p99 ${measured.load.latencyMs.p99} ms, ${measured.load.throughputRps} req/s, RSS ${measured.rssMb} MB`,
      );
      return measured;
    } finally {
      await backend.stop();
    }
  }

  private async startBackend(
    target: TargetDefinition,
    simulator: SimulatorProcess,
    workDir: string,
  ): Promise<BackendProcess> {
    const { options } = this;
    return BackendProcess.start({
      target: target.name,
      port: await freePort(),
      inspectorPort: await freePort(),
      token: LOAD_TOKEN,
      clusters: simulator.clusters,
      clusterToken: SIMULATOR_TOKEN,
      caFile: simulator.caFile,
      entities: options.canaries,
      ceilingBodyFile: this.ceilingBodyFile,
      prometheusUrl: this.prometheus?.url,
      viewerTokens: target.name === 'ours' ? this.viewerTokens : undefined,
      workDir,
      builtEntry: this.builtEntry,
      profileDir:
        options.profileDir && path.resolve(options.profileDir, target.name),
      catalogDatabaseDir:
        this.catalogSeed &&
        catalogCopyFor(this.catalogSeed, workDir, target.name),
    });
  }

  /** Cold start (first correct answer) and readiness (catalog ingested, clusters synced). */
  private async waitUntilReady(
    run: TargetRun,
  ): Promise<{ coldStartMs: number; readyMs: number }> {
    const { target, backend, order } = run;
    const poll = { timeoutMs: START_TIMEOUT_MS, intervalMs: 250 };
    const coldStartMs = await backend.waitFor(
      target.view(order[0]),
      run.correct(order[0]),
      { timeoutMs: START_TIMEOUT_MS, what: 'the first correct answer' },
    );
    // Every target waits for the catalog, so none is measured while it still ingests.
    let readyMs = await backend.waitFor(
      CATALOG_COUNT_VIEW,
      res => holdsEntities(res, this.options.canaries),
      { ...poll, what: 'the catalog' },
    );
    if (target.name === 'ours') {
      readyMs = await backend.waitFor(
        { method: 'GET', path: CLUSTERS_PATH },
        res => {
          const items = json<ClustersPage>(res.body)?.items ?? [];
          return (
            items.length === run.clusterNames.length &&
            items.every(c => c.state === 'synced')
          );
        },
        { ...poll, what: 'cluster sync' },
      );
    }
    this.log(
      `${target.name}: first correct answer after ${(
        coldStartMs / 1000
      ).toFixed(1)} s, ready after ${(readyMs / 1000).toFixed(1)} s`,
    );
    return { coldStartMs, readyMs };
  }

  /** Checks a sample of entities before the load; keeps our first answer for the ceiling. */
  private async checkSample(
    run: TargetRun,
    workDir: string,
  ): Promise<{ checked: number; responseBytes: number }> {
    const { target, backend, order } = run;
    const sample = order.slice(0, CORRECTNESS_SAMPLE);
    let correctCount = 0;
    let responseBytes = 0;
    for (const i of sample) {
      const res = await backend.send(target.view(i));
      if (run.correct(i)(res)) {
        correctCount += 1;
      }
      responseBytes = Math.max(responseBytes, Buffer.byteLength(res.body));
      if (target.name === 'ours' && i === order[0]) {
        this.ceilingBodyFile = path.join(workDir, 'ceiling-body.json');
        fs.writeFileSync(this.ceilingBodyFile, res.body);
      }
    }
    if (correctCount !== sample.length) {
      throw new Error(
        `${target.name}: only ${correctCount} of ${sample.length} sampled entities were answered correctly`,
      );
    }
    return { checked: sample.length, responseBytes };
  }

  /**
   * Ours: puts `analysisCanaries` canaries per cluster under analysis, so the evaluator queries
   * the Prometheus stand-in while the load runs (a view must add no query).
   */
  private async beginAnalysisLoad(
    run: TargetRun,
  ): Promise<AnalysisLoad | undefined> {
    const { options } = this;
    if (
      run.target.name !== 'ours' ||
      !this.prometheus ||
      options.analysisCanaries <= 0
    ) {
      return undefined;
    }
    const canaries = spreadCanaries(
      run.simulator.clusters,
      options.canaries,
      options.analysisCanaries,
    );
    this.log(
      `ours: ${canaries.length} canaries under analysis, querying the Prometheus stand-in`,
    );
    const analysis = new AnalysisLoad(run.simulator, this.prometheus, canaries);
    await analysis.begin();
    return analysis;
  }

  /** Warm-up, then the measured load with the backend's and the clusters' work per view. */
  private async runLoad(
    run: TargetRun,
  ): Promise<
    Pick<
      TargetResult,
      | 'load'
      | 'k8sRequestsPerView'
      | 'k8sRequestsDuringLoad'
      | 'rssMb'
      | 'cpuMsPerView'
      | 'clusterCpuMsPerView'
    >
  > {
    const { options, order } = this;
    const { target, backend, simulator } = run;
    const load = (durationS: number) =>
      runLoad({
        baseUrl: backend.baseUrl,
        token: backend.token,
        view: target.view,
        order,
        connections: options.connections,
        durationS,
      });
    if (options.warmupS > 0) {
      this.log(`${target.name}: warm-up, ${options.warmupS} s`);
      await load(options.warmupS);
    }
    // Warm-up views still in flight would otherwise call the clusters inside the measurement.
    await simulator.settledCounters();
    const { rss } = readMemoryMb(backend.pid);

    this.log(`${target.name}: measured load, ${options.durationS} s`);
    const cpuBefore = readCpuMs(backend.pid);
    const clusterCpuBefore = readCpuMs(simulator.pid);
    await simulator.resetCounters();
    const result = await load(options.durationS);
    const counts = await simulator.settledCounters();
    const cpuMs = readCpuMs(backend.pid) - cpuBefore;
    const clusterCpuMs = readCpuMs(simulator.pid) - clusterCpuBefore;
    // Unanswered views were still served (and called the clusters): count every view sent.
    const views = Math.max(result.sent, 1);
    const perViewRequests = Object.entries(counts.byVerb)
      .filter(([verb]) => verb !== 'watch')
      .reduce((sum, [, n]) => sum + n, 0);
    return {
      load: result,
      k8sRequestsPerView: Math.round((perViewRequests / views) * 1000) / 1000,
      k8sRequestsDuringLoad: { total: counts.total, byVerb: counts.byVerb },
      rssMb: rss,
      cpuMsPerView: Math.round((cpuMs / views) * 100) / 100,
      clusterCpuMsPerView: Math.round((clusterCpuMs / views) * 100) / 100,
    };
  }

  /** What only our backend has: its cache size and how fast a change reaches a view. */
  private async measureOursOnly(
    run: TargetRun,
    measured: TargetResult,
  ): Promise<void> {
    const { backend, simulator } = run;
    const clusters = await backend.send({ method: 'GET', path: CLUSTERS_PATH });
    measured.cachedObjects = (json<ClustersPage>(clusters.body)?.items ?? [])
      .flatMap(c => c.kinds ?? [])
      .reduce((sum, k) => sum + (k.objects ?? 0), 0);
    this.log(`ours: timing ${this.options.propagationSamples} status changes`);
    measured.propagation = await measurePropagation({
      simulator,
      backend,
      clusters: simulator.clusters,
      entityIndexes: this.order,
      samples: this.options.propagationSamples,
    });
    if (this.options.streams > 0) {
      measured.streams = await this.measureStreams(run);
    }
  }

  /** Many open live streams of entities whose canaries change at a steady rate. */
  private async measureStreams(run: TargetRun): Promise<StreamsResult> {
    const { options } = this;
    const underAnalysis = new Set(
      options.analysisCanaries > 0
        ? spreadCanaries(
            run.simulator.clusters,
            options.canaries,
            options.analysisCanaries,
          ).map(ref => ref.name)
        : [],
    );
    const entityIndexes = pickStreamEntities(
      this.order,
      options.streamEntities,
      underAnalysis,
    );
    this.log(
      `ours: ${options.streams} live streams over ${entityIndexes.length} entities (${this.viewerTokens.length} users), ${options.streamRate} changes/s for ${options.streamDurationS} s`,
    );
    const result = await measureStreams({
      simulator: run.simulator,
      backend: run.backend,
      entityIndexes,
      streams: options.streams,
      viewerTokens: this.viewerTokens,
      rate: options.streamRate,
      durationS: options.streamDurationS,
      idleS: Math.min(5, options.streamDurationS),
      log: this.log,
    });
    this.log(
      `ours: streams p99 ${result.delivery.p99} ms, ${
        result.delivery.failures
      } missed, backend CPU ${(result.backendCpuShare * 100).toFixed(
        1,
      )} % of a core (idle ${(result.idleCpuShare * 100).toFixed(1)} %)`,
    );
    return result;
  }
}
