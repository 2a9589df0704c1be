import { isRecord } from '@progressive-delivery/plugin-progressive-delivery-common';

/*
 * The language of projection shapes (see projectionShapes.ts) and its compiler. A shape names
 * the fields kept of a record; leaves say how a kept value is copied.
 */

/** Keep the value as it is (long strings are interned). */
export const KEEP = 'keep';
/** A string map (labels, selectors): copied, its string values interned. */
export const STRING_MAP = 'stringMap';
/** Only the list's length is read: entries are replaced by `null`. */
export const LENGTH = 'length';
/** Free text (an event's message, a condition's message): capped, see {@link capText}. */
export const TEXT = 'text';

export type Leaf =
  | typeof KEEP
  | typeof STRING_MAP
  | typeof LENGTH
  | typeof TEXT;

/** The fields kept of a record. */
export interface Shape {
  [field: string]: Shape | Leaf | Each | Shared;
}

/** A list whose entries are cut to `entry` (records) or kept as `entry` says (leaves). */
export class Each {
  constructor(readonly entry: Shape | Leaf) {}
}

export const each = (entry: Shape | Leaf) => new Each(entry);

/**
 * A part that many objects have alike (a canary's analysis, a DestinationRule's traffic
 * policy, a container's resources): identical projections of it are one frozen object, shared
 * by every object that has it. The objects are never changed in place (the store replaces
 * them), and freezing makes any code that tried fail loudly instead of changing them all.
 */
export class Shared {
  constructor(readonly part: Shape | Leaf | Each) {}
}

export const shared = (part: Shape | Leaf | Each) => new Shared(part);

/** The most distinct values one shared part remembers (least recently seen go first). */
export const MAX_SHARED_VALUES = 512;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

/**
 * The projections of one shared part seen last, by their JSON (projected values come from
 * JSON, so equal JSON is equal values). Bounded: a part that turns out distinct per object only
 * churns through the table; the values many objects have are seen often and stay.
 */
class SharedValues {
  private readonly values = new Map<string, unknown>();

  canonical(value: unknown): unknown {
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const key = JSON.stringify(value);
    const known = this.values.get(key);
    if (known !== undefined) {
      // Most recently seen last.
      this.values.delete(key);
      this.values.set(key, known);
      return known;
    }
    this.values.set(key, deepFreeze(value));
    if (this.values.size > MAX_SHARED_VALUES) {
      this.values.delete(this.values.keys().next().value!);
    }
    return value;
  }
}

/** A dictionary-mode object: adding and deleting keys creates no hidden classes. */
const internTable: Record<string, 0> = Object.create(null);

/**
 * Interns a string through V8's string table, so the thousands of copies of the same value that
 * JSON.parse makes (a webhook URL of every canary of a namespace, an image shared by a target
 * and its primary, repeated condition reasons and messages) become one. JSON.parse already
 * interns values of up to 10 characters. The string table is weak: unused strings still go.
 */
export function intern(value: string): string {
  if (value.length <= 10) {
    return value;
  }
  // A property key is internalized; strings longer than 10 characters are never array indices,
  // so the key comes back as that internalized string.
  internTable[value] = 0;
  const [interned] = Object.keys(internTable);
  delete internTable[value];
  return interned;
}

function keepValue(value: unknown): unknown {
  return typeof value === 'string' ? intern(value) : value;
}

type Fields = Record<string, unknown>;

/**
 * A constructor of plain objects (their prototype is Object.prototype, as a literal's) whose
 * hidden classes (V8 maps) are its own. Every `{}` literal of the process starts from one
 * hidden class, and each first key any object ever got is a transition of it; past 1,536 of
 * them (dictionaries keyed by names, parsed JSON) V8 stops sharing, and every object built from
 * `{}` with a first key not seen before got hidden classes of its own, one per property: about
 * 1 KB per cached object in the bench (5 clusters x 500 canaries, 2026-12-03). Objects built
 * by one constructor share the hidden classes of that constructor's tree, whatever the rest of
 * the process did.
 */
function recordConstructor(): new () => Fields {
  const constructor =
    function ProjectedRecord() {} as unknown as new () => Fields;
  constructor.prototype = Object.prototype;
  return constructor;
}

/** String maps (labels, annotations, selectors) share one tree of hidden classes. */
const StringMapRecord = recordConstructor();

function copyStringMap(value: unknown): unknown {
  if (!isRecord(value)) {
    return keepValue(value);
  }
  const copy = new StringMapRecord();
  for (const key of Object.keys(value)) {
    if (key === '__proto__') {
      // An own property, as JSON.parse made it, not the prototype.
      Object.defineProperty(copy, key, {
        value: keepValue(value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = keepValue(value[key]);
    }
  }
  return copy;
}

/**
 * The most UTF-8 bytes of free text kept: Kubernetes' own cap on an event's note
 * (`NoteLengthLimit = 1024` in kubernetes/kubernetes pkg/apis/core/validation/events.go,
 * commit 04791b4906602ffda5ccf9bc4c84d3329f1d7080, checked on events that set eventTime). A
 * controller writing older events, or a condition message, may exceed it; every view and live
 * stream of the entity would carry the whole text.
 */
export const MAX_TEXT_BYTES = 1024;

/** The marker appended to cut text: `… [cut: N bytes]`, N the UTF-8 bytes left out. */
export const cutMarker = (cutBytes: number) => `… [cut: ${cutBytes} bytes]`;

/**
 * Text of at most {@link MAX_TEXT_BYTES} UTF-8 bytes, cut at a character boundary and marked
 * with {@link cutMarker} when longer; anything but a string is kept as it is.
 */
export function capText(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes: short strings need no counting.
  if (value.length * 3 <= MAX_TEXT_BYTES) {
    return intern(value);
  }
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length <= MAX_TEXT_BYTES) {
    return intern(value);
  }
  let end = MAX_TEXT_BYTES;
  // Back off to the start of the character the cut would split (10xxxxxx continues one).
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) {
    end -= 1;
  }
  return `${bytes.toString('utf8', 0, end)}${cutMarker(bytes.length - end)}`;
}

export type Projector = (value: unknown) => unknown;

const lengthOnly: Projector = value =>
  Array.isArray(value) ? value.map(() => null) : value;

/** Turns a shape into a function once, so projecting an object only runs the plan. */
export function compile(shape: Shape | Leaf | Each | Shared): Projector {
  if (shape instanceof Shared) {
    const project = compile(shape.part);
    const values = new SharedValues();
    return value => values.canonical(project(value));
  }
  if (shape === KEEP) {
    return keepValue;
  }
  if (shape === STRING_MAP) {
    return copyStringMap;
  }
  if (shape === LENGTH) {
    return lengthOnly;
  }
  if (shape === TEXT) {
    return capText;
  }
  if (shape instanceof Each) {
    const entry = compile(shape.entry);
    const entryIsRecord = typeof shape.entry !== 'string';
    return value =>
      Array.isArray(value)
        ? value.map(v => (entryIsRecord && !isRecord(v) ? v : entry(v)))
        : value;
  }
  const fields = Object.keys(shape);
  const projectors = fields.map(field => compile(shape[field]));
  // The records of one shape share hidden classes (see recordConstructor).
  const ShapeRecord = recordConstructor();
  return value => {
    if (!isRecord(value)) {
      return value;
    }
    const result = new ShapeRecord();
    for (let i = 0; i < fields.length; i++) {
      const field = value[fields[i]];
      if (field !== undefined) {
        result[fields[i]] = projectors[i](field);
      }
    }
    return result;
  };
}
