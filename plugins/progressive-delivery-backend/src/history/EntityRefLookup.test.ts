import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { component } from '../__testUtils__/simulatorBackend';
import { AnnotatedEntityCache } from '../resolve/AnnotatedEntityCache';
import { EntityResolver } from '../resolve/EntityResolver';
import { ObjectOwnership } from '../resolve/ObjectOwnership';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { EntityRefLookup } from './EntityRefLookup';

function canary(name: string, id: string) {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: {
      name,
      namespace: 'tenant-a',
      labels: { 'backstage.io/kubernetes-id': id },
    },
    spec: { targetRef: { kind: 'Deployment', name } },
  };
}

function lookupOver(
  catalog: ReturnType<typeof catalogServiceMock>,
  store: ObjectStore,
) {
  const clock = { now: 0 };
  const resolver = new EntityResolver(
    store,
    new EventHistory(),
    'istio-system',
  );
  const lookup = new EntityRefLookup({
    entities: new AnnotatedEntityCache({
      catalog,
      auth: mockServices.auth(),
      now: () => clock.now,
    }),
    ownership: new ObjectOwnership(catalog, resolver),
    resolver,
  });
  return { lookup, getEntities: jest.spyOn(catalog, 'getEntities'), clock };
}

describe('EntityRefLookup', () => {
  it('finds the owner with its own credentials, picks the first of several, and reads the catalog once a minute', async () => {
    const store = new ObjectStore();
    store.upsert('prod', canary('podinfo', 'podinfo'));
    store.upsert('prod', canary('orphan', 'nobody'));
    const catalog = catalogServiceMock({
      entities: [
        component('zeta', {
          'progressive-delivery/canary': 'tenant-a/podinfo',
        }),
        component('podinfo', { 'backstage.io/kubernetes-id': 'podinfo' }),
      ],
    });
    const { lookup, getEntities, clock } = lookupOver(catalog, store);
    const key = (canaryName: string) => ({
      cluster: 'prod',
      namespace: 'tenant-a',
      canary: canaryName,
    });
    expect(await lookup.entityRefOf(key('podinfo'))).toBe(
      'component:default/podinfo',
    );
    expect(await lookup.entityRefOf(key('orphan'))).toBeUndefined();
    expect(getEntities).toHaveBeenCalledTimes(1);
    const options = getEntities.mock.calls[0][1] as {
      credentials: BackstageCredentials;
    };
    expect(options.credentials.principal).toMatchObject({
      type: 'service',
    });
    clock.now = 61_000;
    // A stale list is served while the catalog is read again.
    expect(await lookup.entityRefOf(key('podinfo'))).toBe(
      'component:default/podinfo',
    );
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('finds owners through the target Deployment, a label selector and the canary annotation', async () => {
    const store = new ObjectStore();
    store.upsert('prod', {
      ...canary('checkout', 'unrelated'),
      metadata: { name: 'checkout', namespace: 'tenant-a' },
    });
    store.upsert('prod', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'checkout',
        namespace: 'tenant-a',
        labels: {
          'backstage.io/kubernetes-id': 'shop',
          'app.kubernetes.io/name': 'checkout',
        },
      },
    });
    const linked = [
      component('by-target', { 'backstage.io/kubernetes-id': 'shop' }),
      component('by-selector', {
        'backstage.io/kubernetes-label-selector':
          'app.kubernetes.io/name=checkout',
      }),
      component('by-name', {
        'progressive-delivery/canary': 'tenant-a/checkout',
      }),
    ];
    const elsewhere = component('elsewhere', {
      'backstage.io/kubernetes-id': 'other',
    });
    for (const owner of linked) {
      const { lookup } = lookupOver(
        catalogServiceMock({ entities: [owner, elsewhere] }),
        store,
      );
      expect(
        await lookup.entityRefOf({
          cluster: 'prod',
          namespace: 'tenant-a',
          canary: 'checkout',
        }),
      ).toBe(`component:default/${owner.metadata.name}`);
    }
  });

  it('looks again soon while the catalog is empty, and after a failure', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const { lookup, getEntities, clock } = lookupOver(
      catalog,
      new ObjectStore(),
    );
    const key = { cluster: 'prod', namespace: 'tenant-a', canary: 'podinfo' };
    const settle = () => new Promise(resolve => setImmediate(resolve));
    expect(await lookup.entityRefOf(key)).toBeUndefined();
    clock.now = 6_000;
    await lookup.entityRefOf(key);
    await settle();
    expect(getEntities).toHaveBeenCalledTimes(2);
    getEntities.mockRejectedValueOnce(new Error('catalog is down'));
    clock.now = 12_000;
    // The failed refresh keeps the previous list and is retried on the next access.
    expect(await lookup.entityRefOf(key)).toBeUndefined();
    await settle();
    expect(getEntities).toHaveBeenCalledTimes(3);
    await lookup.entityRefOf(key);
    await settle();
    expect(getEntities).toHaveBeenCalledTimes(4);
  });
});
