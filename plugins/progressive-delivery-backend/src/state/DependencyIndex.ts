/**
 * The dependents of each dependency key. Most keys (an object, an index of one canary's
 * workload) have one dependent, kept as it is: a Set per key cost about 100 bytes more, for
 * every key every entity state read (5 clusters x 500 canaries, 2026-12-03). A key gets a Set
 * when a second dependent comes.
 */
export class DependencyIndex<T extends object> {
  private readonly dependents = new Map<string, T | Set<T>>();

  add(key: string, dependent: T): void {
    const current = this.dependents.get(key);
    if (current === undefined) {
      this.dependents.set(key, dependent);
    } else if (current instanceof Set) {
      current.add(dependent);
    } else if (current !== dependent) {
      this.dependents.set(key, new Set([current, dependent]));
    }
  }

  delete(key: string, dependent: T): void {
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
  forEach(key: string, callback: (dependent: T) => void): void {
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
