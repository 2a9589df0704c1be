import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { component } from '../__testUtils__/simulatorBackend';
import { AnnotatedEntityCache, ENTITY_FIELDS } from './AnnotatedEntityCache';

const settle = () => new Promise(resolve => setImmediate(resolve));

function cacheOver(
  entities = [
    component('podinfo', { 'backstage.io/kubernetes-id': 'podinfo' }),
    component('bare', {}),
  ],
) {
  const catalog = catalogServiceMock({ entities });
  const clock = { now: 0 };
  const cache = new AnnotatedEntityCache({
    catalog,
    auth: mockServices.auth(),
    now: () => clock.now,
  });
  return { cache, clock, getEntities: jest.spyOn(catalog, 'getEntities') };
}

describe('AnnotatedEntityCache', () => {
  it('keeps the annotated entities, found by any spelling of their reference', async () => {
    const { cache, getEntities } = cacheOver();
    const ref = { kind: 'Component', namespace: 'default', name: 'podinfo' };
    expect((await cache.get(ref))?.metadata.name).toBe('podinfo');
    expect(
      (await cache.get({ ...ref, kind: 'component', name: 'PodInfo' }))
        ?.metadata.name,
    ).toBe('podinfo');
    // Not annotated: not kept (the caller reads it from the catalog).
    expect(await cache.get({ ...ref, name: 'bare' })).toBeUndefined();
    expect((await cache.entities()).map(e => e.metadata.name)).toEqual([
      'podinfo',
    ]);
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities.mock.calls[0][0]).toMatchObject({
      fields: ENTITY_FIELDS,
    });
  });

  it('serves the previous reading while it reads the catalog again after a minute', async () => {
    const { cache, clock, getEntities } = cacheOver();
    const first = await cache.read();
    clock.now = 30_000;
    expect(await cache.read()).toBe(first);
    clock.now = 61_000;
    expect(await cache.read()).toBe(first);
    await settle();
    expect(getEntities).toHaveBeenCalledTimes(2);
    const second = await cache.read();
    expect(second.generation).toBe(first.generation + 1);
    expect(second.at).toBe(61_000);
  });

  it('reads again early when a caller found an entity the list lacks, at most every five seconds', async () => {
    const { cache, clock, getEntities } = cacheOver();
    await cache.read();
    cache.refreshSoon();
    expect(getEntities).toHaveBeenCalledTimes(1);
    clock.now = 5_000;
    cache.refreshSoon();
    cache.refreshSoon();
    await settle();
    expect(getEntities).toHaveBeenCalledTimes(2);
    expect((await cache.read()).at).toBe(5_000);
  });

  it('fails the first reading with the catalog error and tries again on the next call', async () => {
    const { cache, getEntities } = cacheOver();
    getEntities.mockRejectedValueOnce(new Error('catalog is down'));
    await expect(cache.entities()).rejects.toThrow('catalog is down');
    expect(await cache.entities()).toHaveLength(1);
  });
});
