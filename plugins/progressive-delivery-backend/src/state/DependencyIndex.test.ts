import { DependencyIndex } from './DependencyIndex';

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
