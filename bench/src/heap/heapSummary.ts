import fs from 'node:fs';
import { fmt } from '../format';

/** Objects of one constructor (or V8 type) in a heap snapshot: count and shallow bytes. */
export interface ConstructorTotal {
  name: string;
  count: number;
  selfBytes: number;
}

interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
}

function indexOrThrow(buf: Buffer, marker: string, from = 0): number {
  const at = buf.indexOf(marker, from, 'utf8');
  if (at === -1) {
    throw new Error(`not a V8 heap snapshot: no ${marker}`);
  }
  return at + Buffer.byteLength(marker);
}

/** The integers of a JSON array of numbers, read straight from the bytes, as a flat list. */
function readNumbers(buf: Buffer, start: number): number[] {
  const numbers: number[] = [];
  let value = 0;
  let inNumber = false;
  for (let i = start; i < buf.length; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      inNumber = true;
    } else {
      if (inNumber) {
        numbers.push(value);
        value = 0;
        inNumber = false;
      }
      if (c === 93 /* ] */) {
        break;
      }
    }
  }
  return numbers;
}

/** What a node is grouped under: its constructor for objects, its V8 type otherwise. */
function groupName(type: string, name: string): string {
  if (type === 'object') {
    return name;
  }
  if (type === 'native') {
    return `(native) ${name}`;
  }
  if (type === 'array') {
    return `(array) ${name}`;
  }
  if (type.includes('string')) {
    return '(string)';
  }
  return `(${type})`;
}

/**
 * Shallow size per constructor of a `.heapsnapshot` (DevTools' Summary view, shallow column):
 * reads the node list and the string table from the file's bytes, never the edges.
 */
export function summariseSnapshot(file: string): ConstructorTotal[] {
  const buf = fs.readFileSync(file);
  const nodesAt = indexOrThrow(buf, '"nodes":[');
  const head = buf.toString('utf8', 0, nodesAt - '"nodes":['.length);
  const meta = (
    JSON.parse(`${head.trim().replace(/,$/, '')}}`) as {
      snapshot: { meta: SnapshotMeta };
    }
  ).snapshot.meta;
  const nodes = readNumbers(buf, nodesAt);
  const stringsAt = indexOrThrow(buf, '"strings":[', nodesAt) - 1;
  const strings = JSON.parse(
    buf.toString('utf8', stringsAt, buf.lastIndexOf(']') + 1),
  ) as string[];
  const fields = meta.node_fields;
  const width = fields.length;
  const typeField = fields.indexOf('type');
  const nameField = fields.indexOf('name');
  const sizeField = fields.indexOf('self_size');
  const types = meta.node_types[0];
  const totals = new Map<string, ConstructorTotal>();
  for (let i = 0; i + width <= nodes.length; i += width) {
    const name = groupName(
      types[nodes[i + typeField]],
      strings[nodes[i + nameField]],
    );
    let total = totals.get(name);
    if (!total) {
      total = { name, count: 0, selfBytes: 0 };
      totals.set(name, total);
    }
    total.count += 1;
    total.selfBytes += nodes[i + sizeField];
  }
  return [...totals.values()].sort((a, b) => b.selfBytes - a.selfBytes);
}

/** One row of the comparison: a constructor in ours against the same in the ceiling. */
export interface HeapDifference extends ConstructorTotal {
  countAbove: number;
  bytesAbove: number;
}

/** Ours against the ceiling, by constructor, largest addition first. */
export function heapDifference(
  ours: ConstructorTotal[],
  ceiling: ConstructorTotal[],
): HeapDifference[] {
  const base = new Map(ceiling.map(t => [t.name, t]));
  return ours
    .map(t => ({
      ...t,
      countAbove: t.count - (base.get(t.name)?.count ?? 0),
      bytesAbove: t.selfBytes - (base.get(t.name)?.selfBytes ?? 0),
    }))
    .sort((a, b) => b.bytesAbove - a.bytesAbove);
}

/** A Markdown table of the largest additions, with bytes per cached object. */
export function heapDifferenceTable(
  rows: HeapDifference[],
  cachedObjects: number,
  top = 25,
): string {
  const total = rows.reduce((sum, r) => sum + r.bytesAbove, 0);
  const perObject = (bytes: number) =>
    cachedObjects > 0 ? fmt(bytes / cachedObjects, 0) : '–';
  const lines = [
    '| constructor / V8 type | objects above the ceiling | shallow MB above the ceiling | bytes per cached object |',
    '| --- | ---: | ---: | ---: |',
    ...rows
      .slice(0, top)
      .map(
        r =>
          `| ${r.name.replace(/\|/g, '\\|').slice(0, 80)} | ${fmt(
            r.countAbove,
            0,
          )} | ${fmt(r.bytesAbove / 1024 / 1024, 1)} | ${perObject(
            r.bytesAbove,
          )} |`,
      ),
    `| **all** | | **${fmt(total / 1024 / 1024, 1)}** | **${perObject(
      total,
    )}** |`,
  ];
  return lines.join('\n');
}
