import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterError,
  ClusterStatus,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  isUserDelegated,
  oidcTokenProviderOf,
} from '../clusters/ClusterConfig';
import { ClusterConfig, WatchConfig } from './WatchConfig';
import { KindWatcher } from './KindWatcher';
import { ListGate } from './ListGate';
import { ClientNodeKubernetesClient } from './KubernetesClient';
import { ObjectSink } from './types';

interface ClusterEntry {
  config: ClusterConfig;
  watchers: KindWatcher[];
  /** Set when the cluster cannot be watched at all (e.g. no server-side credential). */
  configError?: ClusterError;
}

/**
 * One {@link KindWatcher} per cluster and kind. Events go to the sink chosen per kind (Flagger
 * events to the event history, everything else to the object store). Clusters can be added
 * and removed while it runs (catalog clusters); a removed cluster's objects leave the sinks.
 */
export class ClusterWatchers {
  private readonly clusters: ClusterEntry[] = [];
  private started = false;
  /** Grows with every change of a kind's sync state and every cluster added or removed. */
  private statusChanges = 0;

  private constructor(
    private readonly config: WatchConfig,
    private readonly logger: LoggerService,
    private readonly sinkFor: (kind: string) => ObjectSink,
  ) {}

  static async create(options: {
    config: WatchConfig;
    logger: LoggerService;
    sinkFor: (kind: string) => ObjectSink;
  }): Promise<ClusterWatchers> {
    const watchers = new ClusterWatchers(
      options.config,
      options.logger,
      options.sinkFor,
    );
    for (const cluster of options.config.clusters) {
      watchers.add(cluster);
    }
    return watchers;
  }

  /** Watches one more cluster (at once when already started); a known name is replaced. */
  add(cluster: ClusterConfig): void {
    if (this.clusters.some(c => c.config.name === cluster.name)) {
      this.remove(cluster.name);
    }
    const logger = this.logger.child({ cluster: cluster.name });
    const entry: ClusterEntry = { config: cluster, watchers: [] };
    this.clusters.push(entry);
    this.statusChanges += 1;
    if (cluster.configError) {
      entry.configError = {
        errorType: 'UNAUTHORIZED',
        message: cluster.configError,
      };
      logger.warn(cluster.configError);
      return;
    }
    try {
      const client = ClientNodeKubernetesClient.forCluster(cluster);
      // Canaries (first in WATCHED_KINDS) list first; see ListGate.
      const listGate = new ListGate(this.config.listConcurrency ?? 4);
      for (const [listPriority, kind] of this.config.kinds.entries()) {
        entry.watchers.push(
          new KindWatcher({
            cluster: cluster.name,
            kind,
            client,
            listGate,
            listPriority,
            sink: this.sinkFor(kind.kind),
            logger,
            backoff: this.config.backoff,
            onStatusChange: () => {
              this.statusChanges += 1;
            },
          }),
        );
      }
    } catch (error) {
      entry.configError = {
        errorType: 'UNKNOWN_ERROR',
        message: `cluster ${cluster.name}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      };
      logger.error(entry.configError.message);
    }
    if (this.started) {
      entry.watchers.forEach(w => w.start());
    }
  }

  /** Stops watching a cluster and drops its objects (and so their events) from the sinks. */
  remove(name: string): void {
    const at = this.clusters.findIndex(c => c.config.name === name);
    if (at === -1) {
      return;
    }
    const [entry] = this.clusters.splice(at, 1);
    this.statusChanges += 1;
    entry.watchers.forEach(w => w.stop());
    for (const kind of this.config.kinds) {
      this.sinkFor(kind.kind).replace(name, kind.kind, []);
    }
  }

  start(): void {
    this.started = true;
    this.logger.info(
      `watching ${this.config.kinds.length} kinds in ${this.clusters.length} clusters`,
    );
    for (const cluster of this.clusters) {
      cluster.watchers.forEach(w => w.start());
    }
  }

  stop(): void {
    this.started = false;
    for (const cluster of this.clusters) {
      cluster.watchers.forEach(w => w.stop());
    }
  }

  clusterNames(): string[] {
    return this.clusters.map(c => c.config.name);
  }

  status(): ClusterStatus[] {
    return this.clusters.map(c => this.clusterStatus(c));
  }

  /**
   * A number that changes whenever what {@link ClusterWatchers.status} says but the object
   * counts changes: a kind's sync state or error, a cluster added or removed.
   */
  statusVersion(): number {
    return this.statusChanges;
  }

  statusOf(name: string): ClusterStatus | undefined {
    const cluster = this.clusters.find(c => c.config.name === name);
    return cluster && this.clusterStatus(cluster);
  }

  /** How the cluster signs in and where it came from (the frontend sends a user token by it). */
  private describe(cluster: ClusterConfig) {
    const oidcTokenProvider =
      cluster.authProvider === 'oidc'
        ? oidcTokenProviderOf(cluster)
        : undefined;
    return {
      authProvider: cluster.authProvider,
      ...(oidcTokenProvider ? { oidcTokenProvider } : {}),
      source: cluster.source ?? 'config',
      userDelegatedActions: isUserDelegated(cluster),
    };
  }

  private clusterStatus(cluster: ClusterEntry): ClusterStatus {
    const kinds = cluster.watchers.map(w => w.status());
    const base = {
      name: cluster.config.name,
      url: cluster.config.url,
      ...this.describe(cluster.config),
      kinds,
    };
    if (cluster.configError) {
      return { ...base, state: 'error', errors: [cluster.configError] };
    }
    const failed = kinds.filter(k => k.state === 'error');
    const healthy = kinds.filter(
      k => k.state === 'synced' || k.state === 'notInstalled',
    );
    let errors = failed.map(k => k.error!).filter(Boolean);
    // One unreachable server is one error, not one per kind; so is one refused credential.
    for (const type of ['UNREACHABLE', 'UNAUTHORIZED'] as const) {
      if (errors.length > 0 && errors.every(e => e.errorType === type)) {
        errors = [{ errorType: type, message: errors[0].message }];
      }
    }
    let state: ClusterStatus['state'] = 'pending';
    if (failed.length > 0) {
      state = healthy.length > 0 ? 'degraded' : 'error';
    } else if (healthy.length === kinds.length) {
      state = 'synced';
    }
    return { ...base, state, errors };
  }
}
