import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterError,
  ClusterStatus,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ClusterConfig, WatchConfig } from './WatchConfig';
import { KindWatcher } from './KindWatcher';
import { ClientNodeKubernetesClient } from './KubernetesClient';
import { ObjectSink } from './types';

interface ClusterEntry {
  config: ClusterConfig;
  watchers: KindWatcher[];
  /** Set when the cluster cannot be watched at all (e.g. unsupported auth). */
  configError?: ClusterError;
}

/**
 * One {@link KindWatcher} per cluster and kind. Events go to the sink chosen per kind (Flagger
 * events to the event history, everything else to the object store).
 */
export class ClusterWatchers {
  private readonly clusters: ClusterEntry[] = [];

  private constructor(
    private readonly config: WatchConfig,
    private readonly logger: LoggerService,
  ) {}

  static async create(options: {
    config: WatchConfig;
    logger: LoggerService;
    sinkFor: (kind: string) => ObjectSink;
  }): Promise<ClusterWatchers> {
    const watchers = new ClusterWatchers(options.config, options.logger);
    for (const cluster of options.config.clusters) {
      const logger = options.logger.child({ cluster: cluster.name });
      const entry: ClusterEntry = { config: cluster, watchers: [] };
      watchers.clusters.push(entry);
      if (cluster.authProvider !== 'serviceAccount') {
        entry.configError = {
          errorType: 'UNAUTHORIZED',
          message: `cluster ${cluster.name}: auth provider '${cluster.authProvider}' is not supported; use serviceAccount`,
        };
        logger.warn(entry.configError.message);
        continue;
      }
      try {
        const client = await ClientNodeKubernetesClient.create(cluster);
        for (const kind of options.config.kinds) {
          entry.watchers.push(
            new KindWatcher({
              cluster: cluster.name,
              kind,
              client,
              sink: options.sinkFor(kind.kind),
              logger,
              backoff: options.config.backoff,
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
    }
    return watchers;
  }

  start(): void {
    this.logger.info(
      `watching ${this.config.kinds.length} kinds in ${this.clusters.length} clusters`,
    );
    for (const cluster of this.clusters) {
      cluster.watchers.forEach(w => w.start());
    }
  }

  stop(): void {
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

  statusOf(name: string): ClusterStatus | undefined {
    const cluster = this.clusters.find(c => c.config.name === name);
    return cluster && this.clusterStatus(cluster);
  }

  private clusterStatus(cluster: ClusterEntry): ClusterStatus {
    const kinds = cluster.watchers.map(w => w.status());
    const base = { name: cluster.config.name, url: cluster.config.url, kinds };
    if (cluster.configError) {
      return { ...base, state: 'error', errors: [cluster.configError] };
    }
    const failed = kinds.filter(k => k.state === 'error');
    const healthy = kinds.filter(
      k => k.state === 'synced' || k.state === 'notInstalled',
    );
    let errors = failed.map(k => k.error!).filter(Boolean);
    // One unreachable server is one error, not one per kind.
    if (errors.length > 0 && errors.every(e => e.errorType === 'UNREACHABLE')) {
      errors = [{ errorType: 'UNREACHABLE', message: errors[0].message }];
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
