import type { TargetCheck, TargetResult } from '../results';

/** The sizes of the growth runs, as multiples of `--growth-canaries`. */
export const GROWTH_FACTORS = [1, 2, 4];

/** What one target showed at one size. */
export interface GrowthFigures {
  /** Spawn until the first correct answer. */
  coldStartMs: number;
  /** Spawn until every entity is in the catalog (and, for ours, every cluster synced). */
  readyMs: number;
  /** Live heap when ready, after a forced full GC. */
  heapReadyMb: number;
  p50Ms: number;
  p99Ms: number;
  throughputRps: number;
  /** Backend CPU per view during the measured load (ms). */
  cpuMsPerView?: number;
  /** The simulator's CPU per view during the measured load (ms): work that shares the cores. */
  clusterCpuMsPerView?: number;
  cachedObjects?: number;
  /** Ours: change until the live channel pushed it, p99. */
  liveChannelP99Ms?: number | null;
}

export interface GrowthPoint {
  factor: number;
  clusters: number;
  canariesPerCluster: number;
  /** Objects in all simulated clusters (every kind). */
  clusterObjects: number;
  ours?: GrowthFigures;
  peer?: GrowthFigures;
}

export interface GrowthResult {
  /** Each size's run: the side-by-side run's method, without the streams phase and analysis. */
  points: GrowthPoint[];
}

export type GrowthTarget = 'ours' | 'peer';

/** One size against the smallest: each figure's ratio next to the objects' ratio. */
export interface GrowthRatio {
  factor: number;
  objects: number;
  p99: number;
  heap: number;
  coldStart: number;
}

export function growthFigures(t: TargetResult): GrowthFigures {
  return {
    coldStartMs: t.coldStartMs,
    readyMs: t.readyMs,
    heapReadyMb: t.heapReadyMb,
    p50Ms: t.load.latencyMs.p50,
    p99Ms: t.load.latencyMs.p99,
    throughputRps: t.load.throughputRps,
    cpuMsPerView: t.cpuMsPerView,
    clusterCpuMsPerView: t.clusterCpuMsPerView,
    cachedObjects: t.cachedObjects,
    liveChannelP99Ms: t.propagation?.liveChannel.p99,
  };
}

const ratio = (value: number, base: number) =>
  Math.round((value / Math.max(base, 0.001)) * 100) / 100;

/** Each larger size's figures divided by the smallest size's (the first point). */
export function growthRatios(
  growth: GrowthResult,
  target: GrowthTarget,
): GrowthRatio[] {
  const measured = growth.points.filter(p => p[target]);
  if (measured.length < 2) {
    return [];
  }
  const [first, ...rest] = measured;
  const base = first[target]!;
  return rest.map(p => {
    const f = p[target]!;
    return {
      factor: p.factor / first.factor,
      objects: ratio(p.clusterObjects, first.clusterObjects),
      p99: ratio(f.p99Ms, base.p99Ms),
      heap: ratio(f.heapReadyMb, base.heapReadyMb),
      coldStart: ratio(f.coldStartMs, base.coldStartMs),
    };
  });
}

/**
 * Live heap added per 1,000 cached objects from the smallest to the largest size: what the
 * plugin keeps per object, without the fixed heap of the backend around it. Undefined without
 * two sizes with cached objects (ours).
 */
export function heapPerThousandObjects(
  growth: GrowthResult,
  target: GrowthTarget,
): number | undefined {
  const measured = growth.points.filter(p => p[target]?.cachedObjects);
  if (measured.length < 2) {
    return undefined;
  }
  const first = measured[0][target]!;
  const last = measured[measured.length - 1][target]!;
  const objects = last.cachedObjects! - first.cachedObjects!;
  if (objects <= 0) {
    return undefined;
  }
  const perThousand = ((last.heapReadyMb - first.heapReadyMb) / objects) * 1000;
  return Math.round(perThousand * 100) / 100;
}

/**
 * The issue's growth target: latency, heap and cold start grow no faster than the object
 * count (each ratio to the smallest size at most the objects' ratio), judged on ours.
 */
export function checkGrowth(growth: GrowthResult | undefined): TargetCheck[] {
  const ratios = growth ? growthRatios(growth, 'ours') : [];
  if (ratios.length === 0) {
    return [];
  }
  const x = (n: number) => `${n.toFixed(2)}x`;
  const list = (pick: (r: GrowthRatio) => number) =>
    ratios.map(r => x(pick(r))).join(' / ');
  return [
    {
      goal: 'growth: p99 latency, live heap and cold start grow no faster than the object count',
      measured: `objects ${list(r => r.objects)}: p99 ${list(
        r => r.p99,
      )}, live heap ${list(r => r.heap)}, cold start ${list(r => r.coldStart)}`,
      met: ratios.every(
        r =>
          r.p99 <= r.objects && r.heap <= r.objects && r.coldStart <= r.objects,
      ),
    },
  ];
}
