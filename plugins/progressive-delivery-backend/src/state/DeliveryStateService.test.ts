import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { component } from '../__testUtils__/simulatorBackend';
import { AnnotatedEntityCache } from '../resolve/AnnotatedEntityCache';
import { EntityResolver } from '../resolve/EntityResolver';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { DeliveryStateService } from './DeliveryStateService';

const podinfo = component('podinfo', {
  'backstage.io/kubernetes-id': 'podinfo',
});
const checkout = component('checkout', {
  'backstage.io/kubernetes-id': 'checkout',
});
const ref = (name: string) => ({
  kind: 'Component',
  namespace: 'default',
  name,
});

function serviceOver(catalog: ReturnType<typeof catalogServiceMock>) {
  const entities = new AnnotatedEntityCache({
    catalog,
    auth: mockServices.auth(),
  });
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  });
  const service = DeliveryStateService.create({
    catalog,
    entities,
    permissions,
    resolver: new EntityResolver(
      new ObjectStore(),
      new EventHistory(),
      'istio-system',
    ),
    clusters: {
      clusterNames: () => [],
      status: () => [],
      statusOf: () => undefined,
    },
    istioRootNamespace: 'istio-system',
    logger: mockServices.logger.mock(),
  });
  return { service, entities, permissions };
}

describe('DeliveryStateService.readableEntity', () => {
  const credentials = mockCredentials.user();

  it('serves an annotated entity from memory, checking catalog.entity.read itself', async () => {
    const catalog = catalogServiceMock({ entities: [podinfo] });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const { service, permissions } = serviceOver(catalog);
    const entity = await service.readableEntity(ref('podinfo'), credentials);
    expect(entity.metadata.name).toBe('podinfo');
    expect(getEntityByRef).not.toHaveBeenCalled();
    expect(
      permissions.authorize.mock.calls[0][0].map(r => r.permission.name),
    ).toEqual(['progressive-delivery.entity.read', 'catalog.entity.read']);
  });

  it('reads an annotated entity missing from memory from the catalog, and reads the list again', async () => {
    const catalog = catalogServiceMock({ entities: [podinfo, checkout] });
    // The first reading happened while the catalog held podinfo only.
    jest
      .spyOn(catalog, 'getEntities')
      .mockResolvedValueOnce({ items: [podinfo] });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const { service, entities, permissions } = serviceOver(catalog);
    await entities.read();
    const refreshSoon = jest.spyOn(entities, 'refreshSoon');
    const entity = await service.readableEntity(ref('checkout'), credentials);
    expect(entity.metadata.name).toBe('checkout');
    expect(getEntityByRef).toHaveBeenCalledWith(ref('checkout'), {
      credentials,
    });
    expect(refreshSoon).toHaveBeenCalledTimes(1);
    // The catalog checked catalog.entity.read when it answered.
    expect(
      permissions.authorize.mock.calls[0][0].map(r => r.permission.name),
    ).toEqual(['progressive-delivery.entity.read']);
  });

  it('falls back to the catalog with the caller credentials when the list cannot be read', async () => {
    const catalog = catalogServiceMock({ entities: [podinfo] });
    const down = new Error('catalog is down for the plugin');
    const getEntities = jest
      .spyOn(catalog, 'getEntities')
      .mockRejectedValueOnce(down)
      .mockRejectedValueOnce(down);
    const { service } = serviceOver(catalog);
    const entity = await service.readableEntity(ref('podinfo'), credentials);
    expect(entity.metadata.name).toBe('podinfo');
    await service.listCanaries({}, credentials);
    // The plugin's own reading failed twice; the fleet list asked with the caller's credentials.
    expect(getEntities).toHaveBeenCalledTimes(3);
    expect(getEntities.mock.calls[2][1]).toEqual({ credentials });
  });
});
