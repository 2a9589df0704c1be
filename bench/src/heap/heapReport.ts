import fs from 'node:fs';
import path from 'node:path';
import {
  heapDifference,
  heapDifferenceTable,
  summariseSnapshot,
} from './heapSummary';

/** Where a target's snapshot goes inside the `--heap-profile` directory. */
export const snapshotFile = (dir: string, target: string) =>
  path.join(dir, `${target}.heapsnapshot`);

/**
 * Summarises the snapshots of ours and the ceiling in `dir` into `summary.md` and
 * `summary.json`: what ours keeps above the same backend without the plugin, by constructor.
 */
export function writeHeapSummary(
  dir: string,
  cachedObjects: number,
  log: (line: string) => void,
): void {
  const ours = snapshotFile(dir, 'ours');
  const ceiling = snapshotFile(dir, 'ceiling');
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
    path.join(dir, 'summary.md'),
    `# Live heap of ours above the ceiling, by constructor (shallow sizes)\n\n${cachedObjects} cached objects.\n\n${table}\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'summary.json'),
    `${JSON.stringify({ cachedObjects, rows: rows.slice(0, 200) }, null, 2)}\n`,
  );
  log(`heap profile: ${path.join(dir, 'summary.md')}\n${table}`);
}
