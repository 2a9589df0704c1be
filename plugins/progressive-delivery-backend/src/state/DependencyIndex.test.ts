import { DependencyIndex, dependencyHash } from './DependencyIndex';

const dependentsOf = <T extends object>(
  index: DependencyIndex<T>,
  key: string,
) => {
  const found: T[] = [];
  index.forEach(key, dependent => found.push(dependent));
  return found;
};

describe('DependencyIndex', () => {
  it('keeps each dependent of a key once, and forgets a key with none left', () => {
    const index = new DependencyIndex<{ name: string }>();
    const [a, b, c] = ['a', 'b', 'c'].map(name => ({ name }));
    index.add('k', a);
    index.add('k', a);
    expect(dependentsOf(index, 'k')).toEqual([a]);
    index.add('k', b);
    index.add('k', c);
    index.add('k', b);
    index.add('other', c);
    expect(dependentsOf(index, 'k')).toEqual([a, b, c]);
    expect(index.size).toBe(2);

    index.delete('k', b);
    expect(dependentsOf(index, 'k')).toEqual([a, c]);
    index.delete('k', a);
    expect(dependentsOf(index, 'k')).toEqual([c]);
    // A dependent the key does not have changes nothing.
    index.delete('k', a);
    expect(dependentsOf(index, 'k')).toEqual([c]);
    index.add('k', a);
    expect(dependentsOf(index, 'k')).toEqual([c, a]);
    index.delete('k', c);
    index.delete('k', a);
    expect(dependentsOf(index, 'k')).toEqual([]);
    expect(dependentsOf(index, 'missing')).toEqual([]);
    expect(index.size).toBe(1);
    index.delete('other', c);
    expect(index.size).toBe(0);
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
