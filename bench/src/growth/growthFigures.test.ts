import {
  checkGrowth,
  GrowthFigures,
  GrowthPoint,
  GrowthResult,
  growthRatios,
  heapPerThousandObjects,
} from './growthFigures';
import { growthTables } from './growthReport';

const figures = (over: Partial<GrowthFigures> = {}): GrowthFigures => ({
  coldStartMs: 10_000,
  readyMs: 12_000,
  heapReadyMb: 200,
  p50Ms: 5,
  p99Ms: 20,
  throughputRps: 500,
  cachedObjects: 20_000,
  liveChannelP99Ms: 110,
  ...over,
});

const point = (
  factor: number,
  ours: Partial<GrowthFigures>,
  peer?: Partial<GrowthFigures>,
): GrowthPoint => ({
  factor,
  clusters: 5,
  canariesPerCluster: 500 * factor,
  clusterObjects: 35_000 * factor,
  ours: figures(ours),
  ...(peer ? { peer: figures(peer) } : {}),
});

describe('growthRatios', () => {
  it('divides each size by the smallest, next to the objects ratio', () => {
    const growth: GrowthResult = {
      points: [
        point(1, {}),
        point(2, { p99Ms: 22, heapReadyMb: 300, coldStartMs: 15_000 }),
        point(4, { p99Ms: 30, heapReadyMb: 500, coldStartMs: 25_000 }),
      ],
    };
    expect(growthRatios(growth, 'ours')).toEqual([
      { factor: 2, objects: 2, p99: 1.1, heap: 1.5, coldStart: 1.5 },
      { factor: 4, objects: 4, p99: 1.5, heap: 2.5, coldStart: 2.5 },
    ]);
    expect(growthRatios(growth, 'peer')).toEqual([]);
  });
});

describe('heapPerThousandObjects', () => {
  it('is the heap added per 1,000 cached objects from the smallest to the largest size', () => {
    const growth: GrowthResult = {
      points: [
        point(1, { heapReadyMb: 150, cachedObjects: 20_000 }),
        point(2, { heapReadyMb: 170, cachedObjects: 40_000 }),
        point(4, { heapReadyMb: 216, cachedObjects: 80_000 }),
      ],
    };
    expect(heapPerThousandObjects(growth, 'ours')).toBe(1.1);
    // The peer caches nothing.
    expect(
      heapPerThousandObjects(
        {
          points: growth.points.map(p => ({
            ...p,
            peer: { ...p.ours!, cachedObjects: undefined },
          })),
        },
        'peer',
      ),
    ).toBeUndefined();
  });
});

describe('checkGrowth', () => {
  it('is met when nothing grows faster than the objects', () => {
    const [check] = checkGrowth({
      points: [
        point(1, {}),
        point(2, { p99Ms: 22, heapReadyMb: 300 }),
        point(4, { p99Ms: 30, heapReadyMb: 500 }),
      ],
    });
    expect(check.met).toBe(true);
    expect(check.measured).toBe(
      'objects 2.00x / 4.00x: p99 1.10x / 1.50x, live heap 1.50x / 2.50x, cold start 1.00x / 1.00x',
    );
  });

  it('is missed when one figure grows faster than the objects at any size', () => {
    const [check] = checkGrowth({
      points: [
        point(1, {}),
        point(2, { heapReadyMb: 450 }),
        point(4, { heapReadyMb: 700 }),
      ],
    });
    expect(check.met).toBe(false);
  });

  it('judges nothing without growth runs or with one size', () => {
    expect(checkGrowth(undefined)).toEqual([]);
    expect(checkGrowth({ points: [point(1, {})] })).toEqual([]);
  });
});

describe('growthTables', () => {
  it('shows a column per size with ratios to 1x, a table per measured target', () => {
    const tables = growthTables({
      points: [
        point(1, {}, { p99Ms: 400 }),
        point(2, { p99Ms: 22 }, { p99Ms: 1000 }),
      ],
    });
    expect(tables.map(t => t[0][0])).toEqual([
      'ours, clusters x canaries',
      'peer, clusters x canaries',
    ]);
    const [ours, peer] = tables;
    expect(ours[0]).toEqual([
      'ours, clusters x canaries',
      '1x: 5 x 500',
      '2x: 5 x 1,000',
    ]);
    expect(ours.find(r => r[0] === 'p99 latency (ms)')).toEqual([
      'p99 latency (ms)',
      '20',
      '22 (1.10x)',
    ]);
    expect(ours.find(r => r[0] === 'objects in the clusters')).toEqual([
      'objects in the clusters',
      '35,000',
      '70,000 (2.00x)',
    ]);
    expect(peer.find(r => r[0] === 'p99 latency (ms)')?.[2]).toBe(
      '1,000 (2.50x)',
    );
    expect(growthTables(undefined)).toEqual([]);
  });
});
