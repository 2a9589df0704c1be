import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ClusterConfig, isUserDelegated } from './ClusterConfig';
import { AuthStrategies } from './authStrategies';
import { readCatalogClusters } from './catalogClusters';
import { serverCredentials, userCredential } from './clusterCredentials';
import { ClusterSources } from './readClusterLocators';

/** Told when a cluster starts or stops being known. */
export interface ClusterListener {
  added(cluster: ClusterConfig): void;
  removed(name: string): void;
}

/** What decides whether a catalog cluster changed (then it is removed and added again). */
function settingsKey(cluster: ClusterConfig): string {
  const { credentials, userCredentials, ...settings } = cluster;
  return JSON.stringify(settings);
}

/**
 * Every cluster the plugin reaches, from every locator, narrowed by
 * `progressiveDelivery.clusters`, each with its server-side credentials (or the reason it has
 * none). Configuration's clusters are known at once; the catalog's are read at start and then
 * every refresh, and listeners hear of those that appear or leave. `clusters` is the live list:
 * whoever holds it sees the changes.
 */
export class ClusterRegistry {
  readonly clusters: ClusterConfig[] = [];
  private readonly listeners = new Set<ClusterListener>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly options: {
      sources: ClusterSources;
      strategies: AuthStrategies;
      catalog?: CatalogService;
      auth?: AuthService;
      logger: LoggerService;
    },
  ) {
    for (const cluster of options.sources.clusters) {
      if (this.wanted(cluster)) {
        this.clusters.push(this.withCredentials(cluster));
      }
    }
    // An unsupported locator is shown as an entry in error, whatever the narrowing.
    this.clusters.push(...options.sources.unsupported);
  }

  /** Listens to added and removed clusters; returns the unsubscribe. */
  subscribe(listener: ClusterListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Reads the catalog's clusters now and then every refresh. */
  start(): void {
    const { catalog, auth, sources } = this.options;
    if (sources.catalog.length === 0 || !catalog || !auth) {
      return;
    }
    const tick = async () => {
      await this.refreshCatalog();
      if (!this.stopped) {
        this.timer = setTimeout(tick, sources.catalogRefreshSeconds * 1000);
      }
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  get(name: string): ClusterConfig | undefined {
    return this.clusters.find(c => c.name === name);
  }

  /** One read of the catalog's clusters; a failed read keeps the clusters known before. */
  async refreshCatalog(): Promise<void> {
    const { catalog, auth, sources, logger } = this.options;
    let found: ClusterConfig[];
    try {
      found = await readCatalogClusters({
        catalog: catalog!,
        auth: auth!,
        locators: sources.catalog,
        logger,
      });
    } catch (error) {
      logger.warn(`could not read the catalog's clusters: ${error}`);
      return;
    }
    const wanted = found.filter(
      c => this.wanted(c) && !this.isConfigured(c.name),
    );
    const current = this.clusters.filter(c => c.source === 'catalog');
    for (const old of current) {
      const now = wanted.find(c => c.name === old.name);
      if (!now || settingsKey(now) !== settingsKey(old)) {
        this.remove(old.name);
      }
    }
    for (const cluster of wanted) {
      if (!this.get(cluster.name)) {
        this.add(this.withCredentials(cluster));
      }
    }
  }

  private isConfigured(name: string): boolean {
    const clash = this.clusters.some(
      c => c.name === name && c.source !== 'catalog',
    );
    if (clash) {
      this.options.logger.warn(`Duplicate cluster name '${name}'`);
    }
    return clash;
  }

  private wanted(cluster: ClusterConfig): boolean {
    const only = this.options.sources.only;
    return !only || only.includes(cluster.name);
  }

  private withCredentials(cluster: ClusterConfig): ClusterConfig {
    if (cluster.configError) {
      return cluster;
    }
    const { strategies, sources } = this.options;
    const withCredentials: ClusterConfig = {
      ...cluster,
      ...serverCredentials(cluster, strategies, sources.inClusterTokenFile),
    };
    if (isUserDelegated(cluster)) {
      withCredentials.userCredentials = token =>
        userCredential(cluster, strategies, token);
    }
    return withCredentials;
  }

  private add(cluster: ClusterConfig): void {
    this.clusters.push(cluster);
    this.options.logger.info(
      `cluster ${cluster.name} (${cluster.source}) added`,
    );
    this.listeners.forEach(l => l.added(cluster));
  }

  private remove(name: string): void {
    const at = this.clusters.findIndex(c => c.name === name);
    if (at !== -1) {
      this.clusters.splice(at, 1);
      this.options.logger.info(`cluster ${name} removed`);
      this.listeners.forEach(l => l.removed(name));
    }
  }
}
