import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { progressiveDeliveryPermissions } from '@internal/plugin-progressive-delivery-common';
import { readProgressiveDeliveryConfig } from './config';
import { ProgressiveDeliveryBackend } from './service/ProgressiveDeliveryBackend';

/**
 * Progressive Delivery backend plugin: watches Flux, Flagger and Istio objects in every
 * configured cluster and serves per-entity delivery state from memory.
 *
 * @public
 */
export const progressiveDeliveryPlugin = createBackendPlugin({
  pluginId: 'progressive-delivery',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        catalog,
      }) {
        permissionsRegistry.addPermissions(progressiveDeliveryPermissions);
        const backend = await ProgressiveDeliveryBackend.create({
          config: readProgressiveDeliveryConfig(config),
          logger,
          httpAuth,
          permissions,
          catalog,
        });
        httpRouter.use(backend.router);
        lifecycle.addStartupHook(() => backend.start());
        lifecycle.addShutdownHook(() => backend.stop());
      },
    });
  },
});
