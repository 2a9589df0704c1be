import { fmt } from './format';
import { ResultsByTarget, TargetCheck } from './results';

/** Issue 17: p99 at least this many times lower than the peer's. */
export const P99_FACTOR = 100;
/** Issue 17: cold start under this, and no slower than the peer's. */
export const COLD_START_LIMIT_MS = 10_000;
/** Issue 17: live heap above the ceiling per cached object, at most this. */
export const HEAP_BYTES_PER_OBJECT = 1024;

/** p99 latency against the peer's on the same entities. */
function p99Check({ ours, peer }: ResultsByTarget): TargetCheck[] {
  if (!ours || !peer) {
    return [];
  }
  const ratio =
    peer.load.latencyMs.p99 / Math.max(ours.load.latencyMs.p99, 0.001);
  return [
    {
      goal: `p99 latency at least ${P99_FACTOR}x lower than the peer on the same entities`,
      measured: `${fmt(ratio)}x (ours ${fmt(
        ours.load.latencyMs.p99,
      )} ms, peer ${fmt(peer.load.latencyMs.p99)} ms)`,
      met: ratio >= P99_FACTOR,
    },
  ];
}

/** Process spawn to the first correct answer, against the peer's and 10 s. */
function coldStartCheck({ ours, peer }: ResultsByTarget): TargetCheck[] {
  if (!ours) {
    return [];
  }
  const s = (ms: number) => `${fmt(ms / 1000, 2)} s`;
  const underLimit = ours.coldStartMs < COLD_START_LIMIT_MS;
  return [
    {
      goal: `cold start to the first correct answer no slower than the peer's, and under ${
        COLD_START_LIMIT_MS / 1000
      } s`,
      measured: `ours ${s(ours.coldStartMs)}${
        peer ? `, peer ${s(peer.coldStartMs)}` : ' (no peer in this run)'
      }`,
      met: peer ? underLimit && ours.coldStartMs <= peer.coldStartMs : null,
    },
  ];
}

/** Live heap above the same backend without the plugin, per cached object. */
function heapCheck({ ours, ceiling, peer }: ResultsByTarget): TargetCheck[] {
  if (!ours || !ceiling || !ours.cachedObjects) {
    return [];
  }
  const perObject = (oursMb: number, ceilingMb: number) =>
    ((oursMb - ceilingMb) * 1024 * 1024) / ours.cachedObjects!;
  const ready = perObject(ours.heapReadyMb, ceiling.heapReadyMb);
  const afterLoad =
    ours.heapAfterLoadMb !== undefined && ceiling.heapAfterLoadMb !== undefined
      ? perObject(ours.heapAfterLoadMb, ceiling.heapAfterLoadMb)
      : undefined;
  const worst = Math.max(ready, afterLoad ?? ready);
  return [
    {
      goal: `live heap above the backend without the plugin at most ${fmt(
        HEAP_BYTES_PER_OBJECT,
        0,
      )} bytes per cached object`,
      measured: `${fmt(ready, 0)} bytes when ready${
        afterLoad === undefined ? '' : `, ${fmt(afterLoad, 0)} after the load`
      } (${fmt(ours.heapReadyMb - ceiling.heapReadyMb, 0)} MB for ${fmt(
        ours.cachedObjects,
        0,
      )} cached objects)${
        // Ours runs beside the Kubernetes plugin (its clusters and credentials): what ours adds
        // to a backend that has it, whose @kubernetes/client-node both load.
        peer
          ? `; ${fmt(
              perObject(ours.heapReadyMb, peer.heapReadyMb),
              0,
            )} when ready above the backend with the Kubernetes plugin`
          : ''
      }`,
      met: worst <= HEAP_BYTES_PER_OBJECT,
    },
  ];
}

/** The targets issue 17 adds or raises: p99 factor, cold start, heap per object. */
export function issueTargets(results: ResultsByTarget): TargetCheck[] {
  return [
    ...p99Check(results),
    ...coldStartCheck(results),
    ...heapCheck(results),
  ];
}
