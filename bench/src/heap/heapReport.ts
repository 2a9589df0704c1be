import fs from 'node:fs';
import path from 'node:path';
import { HeapProbe } from '../HeapProbe';
import {
  heapDifference,
  heapDifferenceTable,
  summariseSnapshot,
} from './heapSummary';

/** When a snapshot is taken: when ready (before any view), or after the load. */
export type HeapPhase = 'ready' | 'after-load';

/** Where a target's snapshot goes inside the `--heap-profile` directory. */
export const snapshotFile = (
  dir: string,
  target: string,
  phase: HeapPhase = 'after-load',
) =>
  path.join(
    dir,
    phase === 'ready'
      ? `${target}-ready.heapsnapshot`
      : `${target}.heapsnapshot`,
  );

/** With `--heap-profile` (`dir`): a heap snapshot of a target's backend, taken after its measurement. */
export async function writeHeapSnapshot(
  heap: HeapProbe,
  dir: string | undefined,
  target: string,
  phase: HeapPhase,
  log: (line: string) => void,
): Promise<void> {
  if (!dir) {
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  log(`${target}: writing a heap snapshot (${phase})`);
  await heap.writeSnapshot(snapshotFile(dir, target, phase));
}

/**
 * Summarises the snapshots of ours and the ceiling in `dir` into `summary.md` and
 * `summary.json`: what ours keeps above the same backend without the plugin, by constructor.
 */
export function writeHeapSummary(
  dir: string,
  cachedObjects: number,
  log: (line: string) => void,
  phase: HeapPhase = 'after-load',
): void {
  const ours = snapshotFile(dir, 'ours', phase);
  const ceiling = snapshotFile(dir, 'ceiling', phase);
  const name = phase === 'ready' ? 'summary-ready' : 'summary';
  if (!fs.existsSync(ours) || !fs.existsSync(ceiling)) {
    log('heap profile: needs the snapshots of ours and the ceiling');
    return;
  }
  const rows = heapDifference(
    summariseSnapshot(ours),
    summariseSnapshot(ceiling),
  );
  const table = heapDifferenceTable(rows, cachedObjects);
  fs.writeFileSync(
    path.join(dir, `${name}.md`),
    `# Live heap of ours above the ceiling ${
      phase === 'ready' ? 'when ready' : 'after the load'
    }, by constructor (shallow sizes)\n\n${cachedObjects} cached objects.\n\n${table}\n`,
  );
  fs.writeFileSync(
    path.join(dir, `${name}.json`),
    `${JSON.stringify({ cachedObjects, rows: rows.slice(0, 200) }, null, 2)}\n`,
  );
  log(`heap profile: ${path.join(dir, `${name}.md`)}\n${table}`);
}
