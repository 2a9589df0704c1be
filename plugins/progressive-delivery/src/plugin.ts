import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { progressiveDeliveryApiRef } from './api/ProgressiveDeliveryApi';
import { ProgressiveDeliveryClient } from './api/ProgressiveDeliveryClient';
import { clusterPickerField } from './components/scaffolder/clusterPickerField';

/** The fleet page's route in the legacy frontend system. */
export const rootRouteRef = createRouteRef({ id: 'progressive-delivery' });

/**
 * The Progressive Delivery plugin for the legacy frontend system.
 *
 * @public
 */
export const progressiveDeliveryPlugin = createPlugin({
  id: 'progressive-delivery',
  apis: [
    createApiFactory({
      api: progressiveDeliveryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProgressiveDeliveryClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The fleet page: every canary across clusters. Mount it at `/progressive-delivery`.
 *
 * @public
 */
export const ProgressiveDeliveryPage = progressiveDeliveryPlugin.provide(
  createRoutableExtension({
    name: 'ProgressiveDeliveryPage',
    component: () =>
      import('./components/fleet/FleetPage').then(
        m => m.ProgressiveDeliveryPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The entity's Delivery tab. Use it with `isProgressiveDeliveryAvailable`:
 * `<EntityLayout.Route path="/delivery" title="Delivery" if={isProgressiveDeliveryAvailable}>`.
 *
 * @public
 */
export const EntityProgressiveDeliveryContent =
  progressiveDeliveryPlugin.provide(
    createComponentExtension({
      name: 'EntityProgressiveDeliveryContent',
      component: {
        lazy: () =>
          import('./components/entity/EntityDeliveryContent').then(
            m => m.EntityProgressiveDeliveryContent,
          ),
      },
    }),
  );

/**
 * A compact canary status card for the entity overview.
 *
 * @public
 */
export const EntityCanaryStatusCard = progressiveDeliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityCanaryStatusCard',
    component: {
      lazy: () =>
        import('./components/cards/EntityCanaryStatusCard').then(
          m => m.EntityCanaryStatusCard,
        ),
    },
  }),
);

/**
 * Flux sync status card for the entity overview.
 *
 * @public
 */
export const EntityFluxSyncCard = progressiveDeliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityFluxSyncCard',
    component: {
      lazy: () =>
        import('./components/cards/EntityFluxSyncCard').then(
          m => m.EntityFluxSyncCard,
        ),
    },
  }),
);

/**
 * The scaffolder field `ui:field: ProgressiveDeliveryClusterPicker`: the clusters the backend
 * has, with their state, as a multi-select of cluster names. In the legacy frontend system put
 * it inside `<ScaffolderFieldExtensions>` of the scaffolder page.
 *
 * @public
 */
export const ProgressiveDeliveryClusterPickerFieldExtension =
  progressiveDeliveryPlugin.provide(
    createScaffolderFieldExtension({
      ...clusterPickerField,
      schema: clusterPickerField.schema.schema,
    }),
  );
