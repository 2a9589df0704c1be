import { scaleCanaryName } from '@internal/cluster-simulator';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BackendProcess } from '../BackendProcess';
import { readCpuMs } from '../processStats';
import { SimulatorProcess } from '../SimulatorProcess';
import { DurationSummary, summarizeDurations } from '../stats';
import { TARGETS } from '../targets';
import { StreamClient } from './StreamClient';
import {
  assignStreams,
  ChangeDeliveries,
  coreShare,
  PlannedChange,
  planChanges,
  scaleNamespace,
  summarizeDeliveries,
} from './streamPlan';

/** Many open live streams while canaries change at a steady rate (ours only). */
export interface StreamsResult {
  streams: number;
  entities: number;
  /** Distinct users (external-access tokens) the streams are spread over. */
  viewers: number;
  changesPerSecond: number;
  durationS: number;
  /** Status changes sent. */
  changes: number;
  /**
   * From sending a change to each stream of its entity receiving a state with it, over every
   * (change, stream) pair; failures: pairs not seen within `missAfterMs`.
   */
  delivery: DurationSummary;
  /** Per change, its first stream: what the backend adds before it writes to the streams. */
  firstDelivery: DurationSummary;
  missAfterMs: number;
  /** Backend CPU time over wall time while the changes were sent: share of one core. */
  backendCpuShare: number;
  /** The same with the streams open and nothing changing (before the changes). */
  idleCpuShare: number;
  /** Bytes all streams received from the first change until the last was seen, per pair. */
  bytesPerDelivery: number;
  /** `state` events all streams received in that time (the pairs, if nothing else changed). */
  stateEvents: number;
  /** Seconds to open every stream and receive its first state. */
  openS: number;
  /** Streams the backend ended during the phase. */
  endedEarly: number;
  /** Sending a status patch until the simulated cluster answered it. */
  clusterWrite: DurationSummary;
  /**
   * The bench process itself while the changes were sent (it reads every stream): its CPU
   * share of one core and its event loop's p99 delay, which late deliveries include.
   */
  generator: { cpuShare: number; eventLoopDelayP99Ms: number };
}

export interface StreamsOptions {
  simulator: SimulatorProcess;
  backend: BackendProcess;
  /** Scale-scenario indexes of the streamed entities. */
  entityIndexes: number[];
  streams: number;
  /** One external-access token per simulated user. */
  viewerTokens: string[];
  rate: number;
  durationS: number;
  /** Seconds of streams open with no change, for the idle CPU share. */
  idleS: number;
  missAfterMs?: number;
  log: (line: string) => void;
}

interface ChangeRecord extends ChangeDeliveries {
  sentAt: number;
  writeMs?: number;
}

const OPEN_CONCURRENCY = 50;
const LAG_RESOLUTION_MS = 10;
const READY_TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Opens the streams, a few at a time; returns them grouped by entity once each has its state. */
async function openStreams(
  options: StreamsOptions,
  onMarker: (marker: string, at: number) => void,
): Promise<StreamClient[][]> {
  const { backend, entityIndexes, viewerTokens } = options;
  const slots = assignStreams(options.streams, entityIndexes.length);
  if (slots.some(s => s.viewer >= viewerTokens.length)) {
    throw new Error(
      `${options.streams} streams over ${entityIndexes.length} entities need ${
        slots[slots.length - 1].viewer + 1
      } viewer tokens, got ${viewerTokens.length}`,
    );
  }
  const groups: StreamClient[][] = entityIndexes.map(() => []);
  const clients = slots.map(slot => {
    const view = TARGETS.ours.view(entityIndexes[slot.entity]);
    const client = new StreamClient(
      `${backend.baseUrl}${view.path}/events`,
      viewerTokens[slot.viewer],
      onMarker,
    );
    groups[slot.entity].push(client);
    return client;
  });
  try {
    for (let i = 0; i < clients.length; i += OPEN_CONCURRENCY) {
      await Promise.all(
        clients.slice(i, i + OPEN_CONCURRENCY).map(c => c.open()),
      );
    }
    await allReady(clients);
  } catch (e) {
    clients.forEach(c => c.close());
    throw e;
  }
  return groups;
}

/** Waits for every stream's first state. */
async function allReady(clients: StreamClient[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(resolve => {
    timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS);
  });
  const outcome = await Promise.race([
    Promise.all(clients.map(c => c.ready)),
    timedOut,
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    const waiting = clients.filter(c => c.scanner.stateFrames === 0).length;
    throw new Error(
      `${waiting} of ${clients.length} live streams sent no state within ${
        READY_TIMEOUT_MS / 1000
      } s`,
    );
  }
}

/** A merge patch of the canary's `status.lastTransitionTime` to the change's marker. */
async function sendChange(
  options: StreamsOptions,
  change: PlannedChange,
  record: ChangeRecord,
): Promise<void> {
  const { simulator } = options;
  const index = options.entityIndexes[change.entity];
  const name = scaleCanaryName(index);
  const namespace = scaleNamespace(index);
  const cluster = simulator.clusters[change.cluster];
  const res = await simulator.request(
    cluster,
    `/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries/${name}/status`,
    {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { status: { lastTransitionTime: change.marker } },
    },
  );
  record.writeMs = performance.now() - record.sentAt;
  if (res.status !== 200) {
    throw new Error(
      `status patch of ${cluster.name}/${namespace}/${name} failed: ${res.status} ${res.body}`,
    );
  }
}

/** Sends the planned changes on schedule; the backend's CPU share over the same window. */
async function runChanges(
  options: StreamsOptions,
  groups: StreamClient[][],
  records: Map<string, ChangeRecord>,
): Promise<{
  cpuShare: number;
  lastSentAt: number;
  generator: StreamsResult['generator'];
}> {
  const plan = planChanges({
    entities: groups.length,
    clusters: options.simulator.clusters.length,
    rate: options.rate,
    durationS: options.durationS,
  });
  const writes: Array<Promise<void>> = [];
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const ownCpuBefore = process.cpuUsage();
  const start = performance.now();
  const cpuBefore = readCpuMs(options.backend.pid);
  let lastSentAt = start;
  for (const change of plan) {
    const wait = start + change.atMs - performance.now();
    if (wait > 0) {
      await sleep(wait);
    }
    const streams = groups[change.entity];
    const record: ChangeRecord = {
      sentAt: performance.now(),
      expected: streams.length,
      seenAfterMs: [],
    };
    lastSentAt = record.sentAt;
    records.set(change.marker, record);
    streams.forEach(s => s.scanner.expect(change.marker));
    writes.push(sendChange(options, change, record));
  }
  const end = start + options.durationS * 1000;
  if (end > performance.now()) {
    await sleep(end - performance.now());
  }
  const cpuMs = readCpuMs(options.backend.pid) - cpuBefore;
  const wallMs = performance.now() - start;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  lag.disable();
  const generator = {
    cpuShare: coreShare((ownCpu.user + ownCpu.system) / 1000, wallMs),
    // The histogram holds the sampling interval plus the delay.
    eventLoopDelayP99Ms:
      Math.round(
        Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS) * 10,
      ) / 10,
  };
  await Promise.all(writes);
  return { cpuShare: coreShare(cpuMs, wallMs), lastSentAt, generator };
}

/** Waits until every stream saw every change, or the last change's miss deadline passed. */
async function drain(
  records: Map<string, ChangeRecord>,
  deadline: number,
): Promise<void> {
  const complete = () =>
    [...records.values()].every(r => r.seenAfterMs.length >= r.expected);
  while (!complete() && performance.now() < deadline) {
    await sleep(50);
  }
}

/**
 * Opens `streams` live streams over the entities (spread over several users), measures the
 * backend's idle CPU with them open, then changes a canary of a streamed entity `rate` times a
 * second for `durationS` seconds and times when each stream of that entity receives it.
 */
export async function measureStreams(
  options: StreamsOptions,
): Promise<StreamsResult> {
  const missAfterMs = options.missAfterMs ?? 5000;
  const records = new Map<string, ChangeRecord>();
  const onMarker = (marker: string, at: number) => {
    const record = records.get(marker);
    record?.seenAfterMs.push(at - record.sentAt);
  };
  const opening = performance.now();
  const groups = await openStreams(options, onMarker);
  const all = groups.flat();
  const openS = (performance.now() - opening) / 1000;
  options.log(
    `ours: ${all.length} live streams open after ${openS.toFixed(1)} s`,
  );
  try {
    const idleStart = performance.now();
    const idleCpuBefore = readCpuMs(options.backend.pid);
    await sleep(options.idleS * 1000);
    const idleCpuShare = coreShare(
      readCpuMs(options.backend.pid) - idleCpuBefore,
      performance.now() - idleStart,
    );
    const totals = () => ({
      bytes: all.reduce((sum, c) => sum + c.bytes, 0),
      events: all.reduce((sum, c) => sum + c.scanner.stateFrames, 0),
    });
    const before = totals();
    const { cpuShare, lastSentAt, generator } = await runChanges(
      options,
      groups,
      records,
    );
    await drain(records, lastSentAt + missAfterMs);
    const after = totals();
    const changes = [...records.values()];
    const pairs = changes.reduce((sum, c) => sum + c.expected, 0);
    return {
      streams: all.length,
      entities: groups.length,
      viewers: Math.ceil(all.length / groups.length),
      changesPerSecond: options.rate,
      durationS: options.durationS,
      changes: changes.length,
      delivery: summarizeDeliveries(changes, missAfterMs),
      firstDelivery: summarizeDeliveries(
        changes.map(c => ({
          expected: 1,
          seenAfterMs: c.seenAfterMs.length ? [Math.min(...c.seenAfterMs)] : [],
        })),
        missAfterMs,
      ),
      missAfterMs,
      backendCpuShare: cpuShare,
      idleCpuShare,
      bytesPerDelivery: Math.round(
        (after.bytes - before.bytes) / Math.max(pairs, 1),
      ),
      stateEvents: after.events - before.events,
      openS: Math.round(openS * 10) / 10,
      endedEarly: all.filter(c => c.endedEarly).length,
      clusterWrite: summarizeDurations(changes.map(c => c.writeMs)),
      generator,
    };
  } finally {
    all.forEach(c => c.close());
  }
}
