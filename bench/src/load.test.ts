import { entityOrder } from './load';

describe('entityOrder', () => {
  it('is a deterministic shuffle of every entity', () => {
    const order = entityOrder(500);
    expect([...order].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 500 }, (_, i) => i),
    );
    expect(entityOrder(500)).toEqual(order);
    // Spread: neighbours in the walk are not neighbours in the catalog.
    const adjacent = order.filter(
      (v, i) => i > 0 && Math.abs(v - order[i - 1]) === 1,
    );
    expect(adjacent.length).toBeLessThan(25);
  });
});
