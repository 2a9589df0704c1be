import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import plugin from './alpha';
import { MockProgressiveDeliveryApi } from './api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from './api/ProgressiveDeliveryApi';
import { fleetCanaries } from './__fixtures__/deliveryStates';

describe('new frontend system plugin', () => {
  it('declares the API, page, entity content and cards', () => {
    expect(plugin.id).toBe('progressive-delivery');
    for (const id of [
      'api:progressive-delivery',
      'page:progressive-delivery',
      'entity-content:progressive-delivery/delivery',
      'entity-card:progressive-delivery/canary-status',
      'entity-card:progressive-delivery/flux-sync',
    ]) {
      expect(plugin.getExtension(id as never)).toBeDefined();
    }
  });

  it('serves the fleet page at /progressive-delivery', async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/progressive-delivery'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [
          progressiveDeliveryApiRef,
          new MockProgressiveDeliveryApi({ canaries: fleetCanaries() }),
        ],
        catalogApiMock(),
      ],
    });
    expect(await screen.findByText('Canaries (4 of 4)')).toBeInTheDocument();
  });
});
