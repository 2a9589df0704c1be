import { DependencyIndex, dependencyHash } from './DependencyIndex';

const dependentsOf = <T extends object>(
  index: DependencyIndex<T>,
  key: number,
) => {
  const found: T[] = [];
  index.forEach(key, dependent => found.push(dependent));
  return found;
};

const [K, OTHER] = [1, 2];

describe('DependencyIndex', () => {
  it('keeps each dependent of a key once, and forgets a key with none left', () => {
    const index = new DependencyIndex<{ name: string }>();
    const [a, b, c] = ['a', 'b', 'c'].map(name => ({ name }));
    index.add(K, a);
    index.add(K, a);
    expect(dependentsOf(index, K)).toEqual([a]);
    index.add(K, b);
    index.add(K, c);
    index.add(K, b);
    index.add(OTHER, c);
    expect(dependentsOf(index, K)).toEqual([a, b, c]);
    expect(index.size).toBe(2);

    index.delete(K, b);
    expect(dependentsOf(index, K)).toEqual([a, c]);
    index.delete(K, a);
    expect(dependentsOf(index, K)).toEqual([c]);
    // A dependent the key does not have changes nothing.
    index.delete(K, a);
    expect(dependentsOf(index, K)).toEqual([c]);
    index.add(K, a);
    expect(dependentsOf(index, K)).toEqual([c, a]);
    index.delete(K, c);
    index.delete(K, a);
    expect(dependentsOf(index, K)).toEqual([]);
    expect(dependentsOf(index, 3)).toEqual([]);
    expect(index.size).toBe(1);
    index.delete(OTHER, c);
    expect(index.size).toBe(0);
  });
});

describe('DependencyIndex against a Map of Sets', () => {
  it('agrees on every key through growth, collisions and deletions in the middle of runs', () => {
    const index = new DependencyIndex<{ n: number }>();
    const reference = new Map<number, Set<{ n: number }>>();
    const dependents = Array.from({ length: 40 }, (_, n) => ({ n }));
    // mulberry32: the same sequence on every run.
    let seed = 17;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    // Few distinct keys at first (long runs of neighbours in the small table), then many.
    const keyOf = (range: number) => Math.floor(random() * range);
    const check = () => {
      for (const [key, expected] of reference) {
        expect(dependentsOf(index, key)).toEqual([...expected]);
      }
      expect(index.size).toBe(reference.size);
    };
    for (const [steps, range] of [
      [3000, 900],
      [20000, 2 ** 30],
      [20000, 5000],
    ]) {
      for (let step = 0; step < steps; step++) {
        const key = keyOf(range);
        const dependent = dependents[Math.floor(random() * dependents.length)];
        if (random() < 0.6) {
          index.add(key, dependent);
          const set = reference.get(key) ?? new Set();
          set.add(dependent);
          reference.set(key, set);
        } else {
          index.delete(key, dependent);
          const set = reference.get(key);
          set?.delete(dependent);
          if (set?.size === 0) {
            reference.delete(key);
          }
        }
      }
      check();
    }
    // Everything removed: nothing left, and the numbers of dependents are reused.
    for (const [key, set] of [...reference]) {
      [...set].forEach(dependent => index.delete(key, dependent));
    }
    expect(index.size).toBe(0);
    index.add(1, dependents[0]);
    expect(dependentsOf(index, 1)).toEqual([dependents[0]]);
  });
});

describe('dependencyHash', () => {
  it('gives small integers, the same for the same key, and rarely one for two keys', () => {
    expect(dependencyHash('o\u0000c1\u0000Canary\u0000ns\u0000a')).toBe(
      dependencyHash(['o', 'c1', 'Canary', 'ns', 'a'].join('\u0000')),
    );
    // Keys as the bench's entities read them: 5 clusters x 2,000 canaries x 6 kinds.
    const hashes = new Set<number>();
    let keys = 0;
    for (let cluster = 1; cluster <= 5; cluster++) {
      for (let canary = 0; canary < 2000; canary++) {
        for (const kind of ['Canary', 'Deployment', 'HTTPRoute', 'Event']) {
          for (const suffix of ['', '-primary', '-canary']) {
            const name = `svc-${String(canary).padStart(5, '0')}${suffix}`;
            const team = `team-${String(canary % 100).padStart(3, '0')}`;
            const hash = dependencyHash(
              ['o', `scale-0${cluster}`, kind, team, name].join('\u0000'),
            );
            expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30).toBe(
              true,
            );
            hashes.add(hash);
            keys += 1;
          }
        }
      }
    }
    // 120,000 keys in 2^30 numbers: about 7 pairs are expected to share one.
    expect(keys - hashes.size).toBeLessThan(30);
  });
});
