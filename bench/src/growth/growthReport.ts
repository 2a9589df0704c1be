import { fmt } from '../format';
import {
  GrowthFigures,
  GrowthPoint,
  GrowthResult,
  GrowthTarget,
} from './growthFigures';

interface GrowthRow {
  label: string;
  value: (f: GrowthFigures, p: GrowthPoint) => number | null | undefined;
  digits: number;
}

const ROWS: GrowthRow[] = [
  {
    label: 'objects in the clusters',
    value: (_, p) => p.clusterObjects,
    digits: 0,
  },
  { label: 'cached objects', value: f => f.cachedObjects, digits: 0 },
  { label: 'p50 latency (ms)', value: f => f.p50Ms, digits: 1 },
  { label: 'p99 latency (ms)', value: f => f.p99Ms, digits: 1 },
  { label: 'throughput (req/s)', value: f => f.throughputRps, digits: 1 },
  { label: 'backend CPU per view (ms)', value: f => f.cpuMsPerView, digits: 2 },
  {
    label: 'cluster CPU per view (ms)',
    value: f => f.clusterCpuMsPerView,
    digits: 2,
  },
  {
    label: 'live heap when ready, after GC (MB)',
    value: f => f.heapReadyMb,
    digits: 0,
  },
  {
    label: 'cold start to first correct answer (s)',
    value: f => f.coldStartMs / 1000,
    digits: 2,
  },
  {
    label: 'ready: all entities and clusters (s)',
    value: f => f.readyMs / 1000,
    digits: 2,
  },
  {
    label: 'change -> live channel, p99 (ms)',
    value: f => f.liveChannelP99Ms,
    digits: 1,
  },
];

/** `value (ratio to the first size)`, the ratio left out at the first size. */
function cell(
  value: number | null | undefined,
  base: number | null | undefined,
  digits: number,
  first: boolean,
): string {
  if (value === null || value === undefined) {
    return '–';
  }
  if (first || base === null || base === undefined || base === 0) {
    return fmt(value, digits);
  }
  return `${fmt(value, digits)} (${(value / base).toFixed(2)}x)`;
}

/** One target's figures at every size, sizes as columns, with each figure's ratio to 1x. */
function targetCells(growth: GrowthResult, target: GrowthTarget): string[][] {
  const points = growth.points.filter(p => p[target]);
  const [first] = points;
  return [
    [
      `${target}, clusters x canaries`,
      ...points.map(
        p => `${p.factor}x: ${p.clusters} x ${fmt(p.canariesPerCluster, 0)}`,
      ),
    ],
    ...ROWS.map(row => [
      row.label,
      ...points.map((p, i) =>
        cell(
          row.value(p[target]!, p),
          row.value(first[target]!, first),
          row.digits,
          i === 0,
        ),
      ),
    ]),
  ];
}

/** A table per measured target of the growth runs (none without growth runs). */
export function growthTables(growth: GrowthResult | undefined): string[][][] {
  if (!growth) {
    return [];
  }
  return (['ours', 'peer'] as const)
    .filter(t => growth.points.some(p => p[t]))
    .map(t => targetCells(growth, t));
}
