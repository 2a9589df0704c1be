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

/**
 * The dependents of each dependency key (see {@link dependencyHash}). Most keys (an object, an index of one canary's
 * workload) have one dependent, kept as it is: a Set per key cost about 100 bytes more, for
 * every key every entity state read (5 clusters x 500 canaries, 2026-12-03). A key gets a Set
 * when a second dependent comes.
 */
export class DependencyIndex<T extends object> {
  private readonly dependents = new Map<number, T | Set<T>>();

  add(key: number, dependent: T): void {
    const current = this.dependents.get(key);
    if (current === undefined) {
      this.dependents.set(key, dependent);
    } else if (current instanceof Set) {
      current.add(dependent);
    } else if (current !== dependent) {
      this.dependents.set(key, new Set([current, dependent]));
    }
  }

  delete(key: number, dependent: T): void {
    const current = this.dependents.get(key);
    if (current instanceof Set) {
      current.delete(dependent);
      if (current.size === 1) {
        const [last] = current;
        this.dependents.set(key, last);
      }
    } else if (current === dependent) {
      this.dependents.delete(key);
    }
  }

  /** Calls back with each dependent of the key. */
  forEach(key: number, callback: (dependent: T) => void): void {
    const current = this.dependents.get(key);
    if (current instanceof Set) {
      current.forEach(dependent => callback(dependent));
    } else if (current !== undefined) {
      callback(current);
    }
  }

  /** How many keys have dependents. */
  get size(): number {
    return this.dependents.size;
  }
}
