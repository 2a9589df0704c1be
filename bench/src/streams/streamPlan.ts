import {
  CANARIES_PER_NAMESPACE,
  scaleCanaryName,
} from '@internal/cluster-simulator';
import { DurationSummary, summarizeDurations } from '../stats';

/**
 * A distinct, valid `lastTransitionTime` per change. Year 2031, so it is never one of the
 * propagation phase's markers (2030), which stay in the canaries it patched.
 */
export function streamMarker(change: number): string {
  return new Date(Date.UTC(2031, 0, 1) + change * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

/** The namespace the simulator's `scale` scenario puts canary `index` in. */
export function scaleNamespace(index: number): string {
  return `team-${String(
    Math.floor(index / CANARIES_PER_NAMESPACE) + 1,
  ).padStart(3, '0')}`;
}

/**
 * The first `count` entities of the shuffled `order` whose canaries are not under analysis
 * (the simulated Flagger moves those on and would overwrite a marker).
 */
export function pickStreamEntities(
  order: number[],
  count: number,
  underAnalysis: ReadonlySet<string>,
): number[] {
  const picked = order
    .filter(i => !underAnalysis.has(scaleCanaryName(i)))
    .slice(0, count);
  if (picked.length < count) {
    throw new Error(
      `--stream-entities ${count}: only ${picked.length} of ${order.length} entities have canaries not under analysis; lower --stream-entities or --analysis-canaries, or raise --canaries`,
    );
  }
  return picked;
}

/** Users (external-access tokens) needed so that no user has two streams of one entity. */
export function viewersNeeded(streams: number, entities: number): number {
  return Math.ceil(streams / entities);
}

/** The static external-access tokens the streams authenticate with, one per simulated user. */
export function viewerTokens(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `bench-stream-viewer-token-${String(i + 1).padStart(2, '0')}`,
  );
}

export interface StreamSlot {
  /** Position in the list of streamed entities. */
  entity: number;
  /** Position in the list of viewer tokens. */
  viewer: number;
}

/**
 * Stream j follows entity j mod M as user floor(j / M): streams spread evenly over the
 * entities, and each user has at most one stream per entity (what a per-user, per-entity cap
 * on the backend would allow).
 */
export function assignStreams(streams: number, entities: number): StreamSlot[] {
  return Array.from({ length: streams }, (_, j) => ({
    entity: j % entities,
    viewer: Math.floor(j / entities),
  }));
}

export interface PlannedChange {
  change: number;
  /** Position in the list of streamed entities. */
  entity: number;
  /** Position in the list of clusters. */
  cluster: number;
  /** When to send it, from the start of the phase. */
  atMs: number;
  marker: string;
}

/**
 * `rate` changes a second for `durationS` seconds, round-robin over the entities, the cluster
 * moving on after each round, so consecutive changes of one canary are as far apart as they
 * can be.
 */
export function planChanges(options: {
  entities: number;
  clusters: number;
  rate: number;
  durationS: number;
}): PlannedChange[] {
  const { entities, clusters, rate, durationS } = options;
  const count = Math.floor(rate * durationS);
  return Array.from({ length: count }, (_, change) => ({
    change,
    entity: change % entities,
    cluster: Math.floor(change / entities) % clusters,
    atMs: (change * 1000) / rate,
    marker: streamMarker(change),
  }));
}

/** One change and when each of its entity's streams saw it (ms after sending). */
export interface ChangeDeliveries {
  /** Streams of the changed entity. */
  expected: number;
  seenAfterMs: number[];
}

/**
 * Latency over every (change, stream) pair; a pair not seen within `missAfterMs` is a miss
 * (a failure in the summary, outside the percentiles).
 */
export function summarizeDeliveries(
  changes: ChangeDeliveries[],
  missAfterMs: number,
): DurationSummary {
  const values: Array<number | undefined> = [];
  for (const c of changes) {
    const inTime = c.seenAfterMs.filter(ms => ms <= missAfterMs);
    values.push(...inTime);
    for (let i = inTime.length; i < c.expected; i++) {
      values.push(undefined);
    }
  }
  return summarizeDurations(values);
}

/** CPU time used over wall time: the share of one core, rounded to 0.001. */
export function coreShare(cpuMs: number, wallMs: number): number {
  if (wallMs <= 0) {
    throw new Error(`wall time must be positive, got ${wallMs} ms`);
  }
  return Math.round((cpuMs / wallMs) * 1000) / 1000;
}
