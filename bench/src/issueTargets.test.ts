import { issueTargets } from './issueTargets';
import { TargetResult } from './results';

const result = (overrides: Partial<TargetResult>): TargetResult =>
  ({
    load: { latencyMs: { p99: 10 } },
    coldStartMs: 9_000,
    heapReadyMb: 100,
    ...overrides,
  } as TargetResult);

describe('issueTargets', () => {
  it('wants a cold start under 10 s and no slower than the peer', () => {
    const met = (ours: number, peer: number) =>
      issueTargets({
        ours: result({ coldStartMs: ours }),
        peer: result({ coldStartMs: peer }),
      }).find(c => c.goal.startsWith('cold start'))!.met;
    expect(met(9_000, 15_000)).toBe(true);
    expect(met(9_000, 8_000)).toBe(false);
    expect(met(11_000, 15_000)).toBe(false);
    // Without the peer the run cannot judge it.
    expect(
      issueTargets({ ours: result({}) }).find(c =>
        c.goal.startsWith('cold start'),
      )!.met,
    ).toBeNull();
  });

  it('judges the heap per cached object on the worse of ready and after the load', () => {
    const heap = (oursAfterLoadMb: number) =>
      issueTargets({
        ours: result({
          heapReadyMb: 180,
          heapAfterLoadMb: oursAfterLoadMb,
          cachedObjects: 80_000,
        }),
        ceiling: result({ heapReadyMb: 100, heapAfterLoadMb: 100 }),
      }).find(c => c.goal.startsWith('live heap'))!;
    // 80 MB over 80,000 objects: 1,049 bytes each, over 1 KiB.
    expect(heap(150).met).toBe(false);
    expect(heap(150).measured).toBe(
      '1,049 bytes when ready, 655 after the load (80 MB for 80,000 cached objects)',
    );
    // Beside the Kubernetes plugin (the peer), which ours needs: shown, not judged.
    expect(
      issueTargets({
        ours: result({ heapReadyMb: 180, cachedObjects: 80_000 }),
        ceiling: result({ heapReadyMb: 100 }),
        peer: result({ heapReadyMb: 140 }),
      }).find(c => c.goal.startsWith('live heap'))!.measured,
    ).toBe(
      '1,049 bytes when ready (80 MB for 80,000 cached objects); 524 when ready above the backend with the Kubernetes plugin',
    );
    const lower = issueTargets({
      ours: result({ heapReadyMb: 170, cachedObjects: 80_000 }),
      ceiling: result({ heapReadyMb: 100 }),
    }).find(c => c.goal.startsWith('live heap'))!;
    expect(lower.met).toBe(true);
  });

  it('wants p99 at least 100x lower than the peer', () => {
    const p99 = (ours: number, peer: number) =>
      issueTargets({
        ours: result({ load: { latencyMs: { p99: ours } } as any }),
        peer: result({ load: { latencyMs: { p99: peer } } as any }),
      })[0];
    expect(p99(10, 1000).met).toBe(true);
    expect(p99(10, 990).met).toBe(false);
  });
});
