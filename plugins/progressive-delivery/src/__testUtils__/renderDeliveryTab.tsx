import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { MockProgressiveDeliveryApi } from '../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../api/ProgressiveDeliveryApi';
import { EntityProgressiveDeliveryContent } from '../components/entity/EntityDeliveryContent';

/** Renders an entity's Delivery tab over the mock API, as the app mounts it. */
export async function renderDeliveryTab(
  entity: Entity,
  api: MockProgressiveDeliveryApi,
  /** The URL the tab opens at, e.g. a notification's link with its query. */
  url?: string,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityProgressiveDeliveryContent />
    </EntityProvider>,
    {
      apis: [[progressiveDeliveryApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      ...(url ? { initialRouteEntries: [url] } : {}),
    },
  );
}
