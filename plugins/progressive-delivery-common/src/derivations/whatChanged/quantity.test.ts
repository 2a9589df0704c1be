import { parseQuantity, sameQuantity } from './quantity';

describe('Kubernetes quantities', () => {
  it.each([
    ['1000m', '1'],
    ['1k', '1000'],
    ['0.5', '500m'],
    ['1Gi', '1024Mi'],
    ['1e3', '1k'],
    ['128974848', '123Mi'],
    ['129e6', '129M'],
  ])('%s equals %s', (a, b) => {
    expect(sameQuantity(a, b)).toBe(true);
  });

  it.each([
    ['128Mi', '128M'],
    ['1m', '1M'],
    ['16Mi', '32Mi'],
  ])('%s differs from %s', (a, b) => {
    expect(sameQuantity(a, b)).toBe(false);
  });

  it('reads E as exa and rejects garbage', () => {
    expect(parseQuantity('2E')).toBe(2e18);
    expect(parseQuantity('2Xi')).toBeUndefined();
    expect(sameQuantity('lots', 'lots')).toBe(true);
    expect(sameQuantity('lots', 'many')).toBe(false);
  });
});
