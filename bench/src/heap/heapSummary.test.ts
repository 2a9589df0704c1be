import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import {
  heapDifference,
  heapDifferenceTable,
  summariseSnapshot,
} from './heapSummary';

class BenchHeapMarker {
  constructor(readonly n: number) {}
}

describe('summariseSnapshot', () => {
  it("counts this process's objects by constructor from a real heap snapshot", () => {
    const kept = Array.from({ length: 5000 }, (_, i) => new BenchHeapMarker(i));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heap-summary-'));
    const file = v8.writeHeapSnapshot(path.join(dir, 'a.heapsnapshot'));
    try {
      const totals = summariseSnapshot(file);
      const marker = totals.find(t => t.name === 'BenchHeapMarker');
      expect(marker?.count).toBeGreaterThanOrEqual(kept.length);
      expect(marker!.selfBytes).toBeGreaterThanOrEqual(kept.length * 16);
      expect(totals.some(t => t.name === '(string)')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('heapDifference', () => {
  it('orders constructors by what ours adds above the ceiling, per cached object', () => {
    const rows = heapDifference(
      [
        { name: 'Object', count: 300, selfBytes: 30_000 },
        { name: '(string)', count: 100, selfBytes: 8_000 },
        { name: 'Map', count: 2, selfBytes: 100 },
      ],
      [
        { name: 'Object', count: 100, selfBytes: 10_000 },
        { name: '(string)', count: 90, selfBytes: 7_000 },
      ],
    );
    expect(rows.map(r => [r.name, r.countAbove, r.bytesAbove])).toEqual([
      ['Object', 200, 20_000],
      ['(string)', 10, 1_000],
      ['Map', 2, 100],
    ]);
    const table = heapDifferenceTable(rows, 100);
    expect(table).toContain('| Object | 200 | 0 | 200 |');
    expect(table).toContain('| **all** | | **0** | **211** |');
  });
});
