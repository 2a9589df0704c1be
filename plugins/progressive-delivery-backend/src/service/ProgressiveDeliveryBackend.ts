import {
  AuditorService,
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { CanaryActions } from '../actions/CanaryActions';
import {
  ClusterActionClient,
  KubeConfigActionClient,
} from '../actions/ClusterActionClient';
import { DeliveryActions } from '../actions/DeliveryActions';
import { FluxActions } from '../actions/FluxActions';
import { ClusterConfig, ProgressiveDeliveryConfig } from '../config';
import { EntityRefLookup } from '../history/EntityRefLookup';
import { RolloutHistoryService } from '../history/RolloutHistoryService';
import { RolloutRecorder } from '../history/RolloutRecorder';
import { RolloutRepository } from '../history/RolloutRepository';
import { ClusterWatchers } from '../watch/ClusterWatchers';
import { EventHistory } from '../watch/EventHistory';
import { KubernetesClient } from '../watch/KubernetesClient';
import { ObjectStore } from '../watch/ObjectStore';
import { AnnotatedEntityCache } from './AnnotatedEntityCache';
import { DeliveryStateService } from './DeliveryStateService';
import { EntityResolver } from './EntityResolver';
import { EntityUpdateHub } from './EntityUpdateHub';
import { ObjectOwnership } from './ObjectOwnership';
import { createRouter } from './router';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Assembles the plugin: watchers feed the object store and event history, the state service
 * reads them, the update hub pushes changes to open streams, the actions write to clusters
 * after permission checks, and the recorder keeps every rollout in the database.
 */
export class ProgressiveDeliveryBackend {
  private constructor(
    readonly router: express.Router,
    readonly store: ObjectStore,
    readonly events: EventHistory,
    readonly watchers: ClusterWatchers,
    readonly hub: EntityUpdateHub,
    readonly recorder: RolloutRecorder,
    readonly repository: RolloutRepository,
    private readonly config: ProgressiveDeliveryConfig,
  ) {}

  static async create(options: {
    config: ProgressiveDeliveryConfig;
    logger: LoggerService;
    httpAuth: HttpAuthService;
    auth: AuthService;
    permissions: PermissionsService;
    auditor: AuditorService;
    database: DatabaseService;
    catalog: CatalogService;
    clientFactory?: (cluster: ClusterConfig) => Promise<KubernetesClient>;
    actionClientFactory?: (cluster: ClusterConfig) => ClusterActionClient;
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
    const resolver = new EntityResolver(
      store,
      events,
      config.istioRootNamespace,
    );
    const entities = new AnnotatedEntityCache({
      catalog: options.catalog,
      auth: options.auth,
      logger,
    });
    const service = DeliveryStateService.create({
      catalog: options.catalog,
      entities,
      permissions: options.permissions,
      resolver,
      clusters: watchers,
      istioRootNamespace: config.istioRootNamespace,
      logger,
    });
    const hub = EntityUpdateHub.create({
      sources: [store, events],
      stateOf: entity => service.stateOf(entity),
      logger,
    });

    const actionClients = new Map<string, ClusterActionClient>();
    const makeActionClient =
      options.actionClientFactory ?? (c => new KubeConfigActionClient(c));
    const clientFor = (name: string) => {
      let client = actionClients.get(name);
      if (!client) {
        const cluster = config.clusters.find(c => c.name === name);
        if (!cluster) {
          throw new Error(`cluster ${name} is not configured`);
        }
        client = makeActionClient(cluster);
        actionClients.set(name, client);
      }
      return client;
    };
    const ownership = new ObjectOwnership(options.catalog, resolver);
    const actions = new DeliveryActions({
      store,
      events,
      clusterNames: () => watchers.clusterNames(),
      ownership,
      permissions: options.permissions,
      httpAuth: options.httpAuth,
      auditor: options.auditor,
      canaryActions: new CanaryActions(clientFor),
      fluxActions: new FluxActions(store, clientFor),
    });

    const repository = await RolloutRepository.create({
      database: options.database,
    });
    const lookup = new EntityRefLookup({ entities, ownership, resolver });
    const recorder = new RolloutRecorder({
      store,
      events,
      repository,
      entityRefOf: key => lookup.entityRefOf(key),
      logger: logger.child({ component: 'history' }),
    });
    actions.onPerformed(performed => recorder.noteAction(performed));
    const history = new RolloutHistoryService({
      repository,
      resolver,
      clusterNames: () => watchers.clusterNames(),
    });

    const router = await createRouter({
      service,
      hub,
      actions,
      history,
      httpAuth: options.httpAuth,
      logger,
    });
    return new ProgressiveDeliveryBackend(
      router,
      store,
      events,
      watchers,
      hub,
      recorder,
      repository,
      config,
    );
  }

  start(): void {
    // The recorder subscribes first so that it sees every object of the initial lists.
    this.recorder.start();
    this.watchers.start();
  }

  stop(): void {
    this.watchers.stop();
    this.hub.stop();
    this.recorder.stop();
  }

  /** Deletes history older than the configured retention. */
  async applyRetention(now = Date.now()) {
    return this.repository.deleteOlderThan(
      now - this.config.history.retentionDays * DAY_MS,
    );
  }
}
