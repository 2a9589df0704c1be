import {
  AuditorService,
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import express from 'express';
import { DeliveryActions } from './actions/DeliveryActions';
import { AuthStrategies } from './clusters/authStrategies';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import { AnalysisEvaluator } from './analysis/AnalysisEvaluator';
import { AnalysisPointStore } from './analysis/AnalysisPointStore';
import { HttpPrometheusTransport } from './analysis/PrometheusClient';
import { ProgressiveDeliveryConfig } from './config';
import { EntityRefLookup } from './history/EntityRefLookup';
import { PromotionMemory } from './history/PromotionMemory';
import { RolloutChangesService } from './history/RolloutChangesService';
import { RolloutHistoryService } from './history/RolloutHistoryService';
import { RolloutRecorder } from './history/RolloutRecorder';
import { RolloutRepository } from './history/RolloutRepository';
import { AnnotatedEntityCache } from './resolve/AnnotatedEntityCache';
import { EntityResolver } from './resolve/EntityResolver';
import { ObjectOwnership } from './resolve/ObjectOwnership';
import { NotificationLedger } from './notify/NotificationLedger';
import { catalogOwners } from './notify/owners';
import { RolloutNotifier } from './notify/RolloutNotifier';
import { createRouter } from './router/createRouter';
import { DeliveryStateService } from './state/DeliveryStateService';
import { EntityUpdateHub } from './state/EntityUpdateHub';
import { registerDeliveryTools } from './tools/registerDeliveryTools';
import { ClusterWatchers } from './watch/ClusterWatchers';
import { EventHistory } from './watch/EventHistory';
import { ObjectStore } from './watch/ObjectStore';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ProgressiveDeliveryBackendOptions {
  config: ProgressiveDeliveryConfig;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  database: DatabaseService;
  catalog: CatalogService;
  /** Notifications to canary owners (issue 16); none without it. */
  notifications?: NotificationService;
  /** Where the tools for agents are registered (the same reads and actions as the API). */
  actionsRegistry?: ActionsRegistryService;
  /** The Kubernetes plugin's authentication strategies, with those modules added. */
  authStrategies: AuthStrategies;
}

/** How long the watchers wait at most for the catalog's first answer (see start). */
const ENTITIES_FIRST_MS = 5000;

/** What the watch layer holds: the watchers and the stores they fill. */
interface Watching {
  store: ObjectStore;
  events: EventHistory;
  watchers: ClusterWatchers;
  /** Every known cluster with its credentials (the live list: catalog clusters come and go). */
  registry: ClusterRegistry;
}

/** The entity side that every layer above the watch cache reads. */
interface Resolving {
  resolver: EntityResolver;
  entities: AnnotatedEntityCache;
  ownership: ObjectOwnership;
}

/**
 * Assembles the plugin, layer by layer: watchers feed the object store and event history; the
 * resolver links catalog entities to their objects; the state service and update hub, the
 * actions and the rollout history read them; the router serves all three. Each component
 * subscribes itself to what it follows; this only hands them to one another.
 */
export class ProgressiveDeliveryBackend {
  private stopped = false;

  private constructor(
    readonly router: express.Router,
    private readonly watching: Watching,
    private readonly hub: EntityUpdateHub,
    private readonly service: DeliveryStateService,
    private readonly recorder: RolloutRecorder,
    private readonly repository: RolloutRepository,
    private readonly config: ProgressiveDeliveryConfig,
    private readonly evaluator: AnalysisEvaluator,
    private readonly entities: AnnotatedEntityCache,
    private readonly logger: LoggerService,
    private readonly notifier?: RolloutNotifier,
  ) {}

  static async create(
    options: ProgressiveDeliveryBackendOptions,
  ): Promise<ProgressiveDeliveryBackend> {
    const watching = await watch(options);
    const resolving = resolve(options, watching);
    const clusterNames = () => watching.watchers.clusterNames();
    const repository = await RolloutRepository.create(options);
    // The evaluator writes its points beside the rollout history, on the same database.
    const evaluator = analyse(
      options,
      watching,
      resolving,
      repository.analysis,
    );
    const changes = rolloutChanges(options, watching, repository);
    const service = DeliveryStateService.create({
      catalog: options.catalog,
      entities: resolving.entities,
      permissions: options.permissions,
      resolver: resolving.resolver,
      clusters: watching.watchers,
      istioRootNamespace: options.config.istioRootNamespace,
      logger: options.logger,
      evidence: evaluator,
      changes,
      // New measurements reach views and open streams like watch events.
      sources: [watching.store, watching.events, evaluator, changes],
    });
    const hub = EntityUpdateHub.create({
      views: service.memo,
      logger: options.logger,
      limits: options.config.streams,
    });
    const actions = DeliveryActions.create({
      store: watching.store,
      events: watching.events,
      clusters: watching.registry.clusters,
      clusterNames,
      ownership: resolving.ownership,
      permissions: options.permissions,
      httpAuth: options.httpAuth,
      auditor: options.auditor,
      config: options.config.actions,
    });
    registerDeliveryTools(options.actionsRegistry, { service, actions });
    const lookup = new EntityRefLookup(resolving);
    const recorder = record(options, watching, repository, lookup, {
      actions,
      changes,
    });
    const history = new RolloutHistoryService({
      repository,
      resolver: resolving.resolver,
      clusterNames,
    });
    const router = await createRouter({
      httpAuth: options.httpAuth,
      logger: options.logger,
      service,
      hub,
      actions,
      history,
    });
    return new ProgressiveDeliveryBackend(
      router,
      watching,
      hub,
      service,
      recorder,
      repository,
      options.config,
      evaluator,
      resolving.entities,
      options.logger,
      await notify(options, watching, repository, lookup),
    );
  }

  start(): void {
    // The recorder and the evaluator subscribe first so that they see the initial lists.
    this.recorder.start();
    this.notifier?.start();
    this.evaluator.start();
    this.watching.registry.start();
    // The catalog's annotated entities first: one query, answered in a moment while nothing else
    // runs, where behind the clusters' first lists (hundreds of pages on the same event loop)
    // it took as long as all of them, and every page view waits for it. The lists start when
    // it is answered, failed, or after ENTITIES_FIRST_MS at the latest.
    const read = this.entities.entities().then(
      () => undefined,
      error =>
        this.logger.warn(
          `could not read the annotated catalog entities at start, trying again at the first view: ${error}`,
        ),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const latest = new Promise<void>(done => {
      timer = setTimeout(done, ENTITIES_FIRST_MS);
    });
    void Promise.race([read, latest]).then(() => {
      clearTimeout(timer);
      if (!this.stopped) {
        this.watching.watchers.start();
      }
    });
  }

  stop(): void {
    this.stopped = true;
    this.watching.registry.stop();
    this.watching.watchers.stop();
    this.evaluator.stop();
    this.hub.stop();
    this.service.stop();
    this.recorder.stop();
    this.notifier?.stop();
  }

  /** Deletes history older than the configured retention. */
  async applyRetention(now = Date.now()) {
    await this.notifier?.pruneLedger(
      now - this.config.history.retentionDays * DAY_MS,
    );
    return this.repository.deleteOlderThan(
      now - this.config.history.retentionDays * DAY_MS,
    );
  }
}

/** The recorder of the rollout history, which follows every canary in the watch cache. */
function record(
  options: ProgressiveDeliveryBackendOptions,
  watching: Watching,
  repository: RolloutRepository,
  lookup: EntityRefLookup,
  sources: Pick<
    ConstructorParameters<typeof RolloutRecorder>[0],
    'actions' | 'changes'
  >,
): RolloutRecorder {
  return new RolloutRecorder({
    store: watching.store,
    events: watching.events,
    repository,
    ...sources,
    entityRefOf: key => lookup.entityRefOf(key),
    listing: cluster =>
      watching.watchers.statusOf(cluster)?.state === 'pending',
    logger: options.logger.child({ component: 'history' }),
  });
}

/**
 * Notifications to canary owners: one per rollout transition, claimed in a ledger beside the
 * rollout history (same database, same migrations), the owning entity as the history finds it,
 * the failing check from the history's analysis points.
 */
async function notify(
  options: ProgressiveDeliveryBackendOptions,
  { store, events }: Watching,
  repository: RolloutRepository,
  lookup: EntityRefLookup,
): Promise<RolloutNotifier | undefined> {
  if (!options.notifications || !options.config.notifications.enabled) {
    return undefined;
  }
  return new RolloutNotifier({
    store,
    events,
    ledger: new NotificationLedger(await options.database.getClient()),
    notifications: options.notifications,
    entityRefOf: key => lookup.entityRefOf(key),
    ownersOf: catalogOwners(options.catalog, options.auth),
    evidence: repository.analysis,
    config: options.config.notifications,
    logger: options.logger.child({ component: 'notify' }),
  });
}

/** The watch layer: one watcher per cluster and kind, Flagger's events kept apart. */
async function watch(
  options: ProgressiveDeliveryBackendOptions,
): Promise<Watching> {
  const store = new ObjectStore();
  const events = new EventHistory();
  events.forgetDeletedCanaries(store);
  const registry = new ClusterRegistry({
    sources: options.config.clusterSources,
    strategies: options.authStrategies,
    catalog: options.catalog,
    auth: options.auth,
    logger: options.logger.child({ component: 'clusters' }),
  });
  const watchers = await ClusterWatchers.create({
    config: { ...options.config, clusters: registry.clusters },
    logger: options.logger.child({ component: 'watch' }),
    sinkFor: kind => (kind === 'Event' ? events : store),
  });
  // Catalog clusters that appear or leave start and stop their watchers.
  registry.subscribe({
    added: cluster => watchers.add(cluster),
    removed: name => watchers.remove(name),
  });
  return { store, events, watchers, registry };
}

/**
 * The analysis evaluator: measures canaries under analysis against their cluster's Prometheus
 * (service proxy with the cluster's credentials, or the URL configured for the cluster).
 */
function analyse(
  options: ProgressiveDeliveryBackendOptions,
  { store, watchers, registry }: Watching,
  { resolver }: Resolving,
  points: AnalysisPointStore,
): AnalysisEvaluator {
  const { analysis } = options.config;
  // The live list: the proxy reaches catalog clusters too, with each cluster's credentials.
  const clusters = registry.clusters;
  return new AnalysisEvaluator({
    config: analysis,
    clusterNames: () => watchers.clusterNames(),
    listed: cluster =>
      watchers.statusOf(cluster)?.kinds.every(k => k.state !== 'pending') ??
      false,
    store,
    resolver,
    transport: new HttpPrometheusTransport(clusters, analysis.timeoutMs),
    points,
    logger: options.logger.child({ component: 'analysis' }),
  });
}

/** What changed in each rollout: from memory for the state, stored by the recorder. */
function rolloutChanges(
  options: ProgressiveDeliveryBackendOptions,
  { store }: Watching,
  repository: RolloutRepository,
): RolloutChangesService {
  return new RolloutChangesService({
    lookup: store,
    promotions: new PromotionMemory({
      source: repository.changes,
      logger: options.logger.child({ component: 'history' }),
    }),
    repository: repository.changes,
  });
}

/** The resolve layer over the watch cache and the catalog. */
function resolve(
  options: ProgressiveDeliveryBackendOptions,
  { store, events }: Watching,
): Resolving {
  const resolver = new EntityResolver(
    store,
    events,
    options.config.istioRootNamespace,
  );
  return {
    resolver,
    entities: new AnnotatedEntityCache({
      catalog: options.catalog,
      auth: options.auth,
      logger: options.logger,
    }),
    ownership: new ObjectOwnership(options.catalog, resolver),
  };
}
