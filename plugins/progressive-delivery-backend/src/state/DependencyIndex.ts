/**
 * A dependency key as a number: FNV-1a, cut to 30 bits so that V8 keeps it unboxed (a small
 * integer) in arrays and as a Map key. A string key cost about 70 bytes more per key every
 * entity state read (bench: 15 per cluster of an entity). Two keys with one number only make a
 * change touch an entity it did not read: it is derived again to the same state, never missed.
 */
export function dependencyHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x3fffffff;
}

/** The emptiest the table gets before it grows: at most 70 % of its slots used. */
const MAX_LOAD = 0.7;
const MIN_BITS = 10;

/**
 * The dependents of each dependency key (see {@link dependencyHash}), in an open-addressing hash
 * table of two Int32Arrays (linear probing): a key and its one dependent's number take 8 bytes
 * and a slot, where a Map entry took about 40 (8.7 MB for the bench's 2,000 entities). Most keys
 * (an object, an index of one canary's workload) have one dependent; a key with more keeps them
 * in a Set, in the order they came.
 */
export class DependencyIndex<T extends object> {
  private bits = MIN_BITS;
  /** A key plus one, 0 for an empty slot. */
  private keys = new Int32Array(1 << MIN_BITS);
  /** The dependent's number (>= 0), or `~n` for the n-th Set of numbers. */
  private values = new Int32Array(1 << MIN_BITS);
  private count = 0;
  private readonly numbers = new Map<T, number>();
  private readonly dependents: Array<T | undefined> = [];
  /** Keys per dependent number: its number is freed with its last key. */
  private readonly keyCounts: number[] = [];
  private readonly freeNumbers: number[] = [];
  private readonly sets: Array<Set<number> | undefined> = [];
  private readonly freeSets: number[] = [];

  add(key: number, dependent: T): void {
    const slot = this.slotOf(key);
    if (this.keys[slot] === 0) {
      this.keys[slot] = key + 1;
      this.values[slot] = this.take(dependent);
      this.count += 1;
      if (this.count > MAX_LOAD * this.keys.length) {
        this.grow();
      }
      return;
    }
    const value = this.values[slot];
    const number = this.numbers.get(dependent);
    if (value >= 0) {
      if (value !== number) {
        this.values[slot] = ~this.newSet(value, this.take(dependent));
      }
      return;
    }
    const set = this.sets[~value]!;
    if (number === undefined || !set.has(number)) {
      set.add(this.take(dependent));
    }
  }

  delete(key: number, dependent: T): void {
    const number = this.numbers.get(dependent);
    const slot = this.slotOf(key);
    if (number === undefined || this.keys[slot] === 0) {
      return;
    }
    const value = this.values[slot];
    if (value >= 0) {
      if (value === number) {
        this.removeSlot(slot);
        this.count -= 1;
        this.release(number);
      }
      return;
    }
    const set = this.sets[~value]!;
    if (set.delete(number)) {
      this.release(number);
      if (set.size === 1) {
        const [last] = set;
        this.values[slot] = last;
        this.sets[~value] = undefined;
        this.freeSets.push(~value);
      }
    }
  }

  /** Calls back with each dependent of the key. */
  forEach(key: number, callback: (dependent: T) => void): void {
    const slot = this.slotOf(key);
    if (this.keys[slot] === 0) {
      return;
    }
    const value = this.values[slot];
    if (value >= 0) {
      callback(this.dependents[value]!);
    } else {
      // A copy: the callback may change the index.
      [...this.sets[~value]!].forEach(n => callback(this.dependents[n]!));
    }
  }

  /** How many keys have dependents. */
  get size(): number {
    return this.count;
  }

  /** Fibonacci hashing: the key's home slot. */
  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
  }

  /** The key's slot, or the empty slot where it would go. */
  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    let slot = this.home(key);
    while (this.keys[slot] !== 0 && this.keys[slot] !== key + 1) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** Empties a slot, moving later keys of its run back so that every key stays findable. */
  private removeSlot(slot: number): void {
    const mask = this.keys.length - 1;
    let hole = slot;
    for (let next = (hole + 1) & mask; this.keys[next] !== 0; ) {
      const home = this.home(this.keys[next] - 1);
      // Movable when its home is not between the hole and it (cyclically).
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        this.keys[hole] = this.keys[next];
        this.values[hole] = this.values[next];
        hole = next;
      }
      next = (next + 1) & mask;
    }
    this.keys[hole] = 0;
    this.values[hole] = 0;
  }

  private grow(): void {
    const { keys, values } = this;
    this.bits += 1;
    this.keys = new Int32Array(1 << this.bits);
    this.values = new Int32Array(1 << this.bits);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== 0) {
        const slot = this.slotOf(keys[i] - 1);
        this.keys[slot] = keys[i];
        this.values[slot] = values[i];
      }
    }
  }

  /** The dependent's number, counting one more key of it. */
  private take(dependent: T): number {
    let number = this.numbers.get(dependent);
    if (number === undefined) {
      number = this.freeNumbers.pop() ?? this.dependents.length;
      this.numbers.set(dependent, number);
      this.dependents[number] = dependent;
      this.keyCounts[number] = 0;
    }
    this.keyCounts[number] += 1;
    return number;
  }

  /** One key fewer of the dependent; with none left, its number is free. */
  private release(number: number): void {
    this.keyCounts[number] -= 1;
    if (this.keyCounts[number] === 0) {
      this.numbers.delete(this.dependents[number]!);
      this.dependents[number] = undefined;
      this.freeNumbers.push(number);
    }
  }

  private newSet(first: number, second: number): number {
    const at = this.freeSets.pop() ?? this.sets.length;
    this.sets[at] = new Set([first, second]);
    return at;
  }
}
