import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { ClusterConfig, ProgressiveDeliveryConfig } from '../config';
import { ClusterWatchers } from '../watch/ClusterWatchers';
import { EventHistory } from '../watch/EventHistory';
import { KubernetesClient } from '../watch/KubernetesClient';
import { ObjectStore } from '../watch/ObjectStore';
import { DeliveryStateService } from './DeliveryStateService';
import { EntityResolver } from './EntityResolver';
import { EntityUpdateHub } from './EntityUpdateHub';
import { createRouter } from './router';

/**
 * Assembles the plugin: watchers feed the object store and event history, the state service
 * reads them, the update hub pushes changes to open streams.
 */
export class ProgressiveDeliveryBackend {
  private constructor(
    readonly router: express.Router,
    readonly store: ObjectStore,
    readonly events: EventHistory,
    readonly watchers: ClusterWatchers,
    readonly hub: EntityUpdateHub,
  ) {}

  static async create(options: {
    config: ProgressiveDeliveryConfig;
    logger: LoggerService;
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    catalog: CatalogService;
    clientFactory?: (cluster: ClusterConfig) => Promise<KubernetesClient>;
  }): Promise<ProgressiveDeliveryBackend> {
    const { config, logger } = options;
    const store = new ObjectStore();
    const events = new EventHistory();
    const watchers = await ClusterWatchers.create({
      config,
      logger: logger.child({ component: 'watch' }),
      sinkFor: kind => (kind === 'Event' ? events : store),
      clientFactory: options.clientFactory,
    });
    // A deleted canary's events go with it.
    store.subscribe(change => {
      if (change.type === 'delete' && change.kind === 'Canary') {
        events.forget(change.cluster, change.namespace, change.name);
      }
    });
    const service = DeliveryStateService.create({
      catalog: options.catalog,
      permissions: options.permissions,
      resolver: new EntityResolver(store, events, config.istioRootNamespace),
      clusters: watchers,
      istioRootNamespace: config.istioRootNamespace,
      logger,
    });
    const hub = EntityUpdateHub.create({
      sources: [store, events],
      stateOf: entity => service.stateOf(entity),
      logger,
    });
    const router = await createRouter({
      service,
      hub,
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      logger,
    });
    return new ProgressiveDeliveryBackend(router, store, events, watchers, hub);
  }

  start(): void {
    this.watchers.start();
  }

  stop(): void {
    this.watchers.stop();
    this.hub.stop();
  }
}
