import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { progressiveDeliveryPermissions } from '@progressive-delivery/plugin-progressive-delivery-common';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { AuthStrategies } from './clusters/authStrategies';
import { progressiveDeliveryClusterAuthExtensionPoint } from './clusters/extensionPoint';
import { readProgressiveDeliveryConfig } from './config';
import { ProgressiveDeliveryBackend } from './ProgressiveDeliveryBackend';

/**
 * Progressive Delivery backend plugin: watches Flux, Flagger and Istio objects in every
 * configured cluster and serves per-entity delivery state from memory.
 *
 * @public
 */
export const progressiveDeliveryPlugin = createBackendPlugin({
  pluginId: 'progressive-delivery',
  register(env) {
    // Strategies that modules add for cluster auth providers (the Kubernetes plugin's defaults otherwise).
    const addedStrategies = new Map<string, AuthenticationStrategy>();
    env.registerExtensionPoint(progressiveDeliveryClusterAuthExtensionPoint, {
      addAuthStrategy(providerName, strategy) {
        addedStrategies.set(providerName, strategy);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        auth,
        auditor,
        database,
        scheduler,
        catalog,
        notifications,
        actionsRegistry,
      }) {
        permissionsRegistry.addPermissions(progressiveDeliveryPermissions);
        const authStrategies = new AuthStrategies({ logger, config });
        addedStrategies.forEach((strategy, provider) =>
          authStrategies.add(provider, strategy),
        );
        const backend = await ProgressiveDeliveryBackend.create({
          config: readProgressiveDeliveryConfig(config),
          logger,
          httpAuth,
          auth,
          permissions,
          auditor,
          database,
          catalog,
          notifications,
          actionsRegistry,
          authStrategies,
        });
        httpRouter.use(backend.router);
        lifecycle.addStartupHook(() => backend.start());
        lifecycle.addShutdownHook(() => backend.stop());
        // One replica at a time deletes expired history (the scheduler locks across replicas).
        await scheduler.scheduleTask({
          id: 'progressive-delivery-history-retention',
          frequency: { hours: 6 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 5 },
          fn: async () => {
            const deleted = await backend.applyRetention();
            logger.info(
              `history retention deleted ${deleted.rollouts} rollouts and ${deleted.events} events`,
            );
          },
        });
      },
    });
  },
});
