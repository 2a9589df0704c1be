import { Config } from '@backstage/config';
import { WATCHED_KINDS, WatchedKind } from './watch/kinds';

/**
 * A cluster as the Kubernetes plugin's `config` cluster locator describes it.
 */
export interface ClusterConfig {
  name: string;
  url: string;
  authProvider: string;
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export interface HistoryOptions {
  /** Rollouts that ended longer ago than this, and older events, are deleted. */
  retentionDays: number;
}

export interface ProgressiveDeliveryConfig {
  clusters: ClusterConfig[];
  kinds: WatchedKind[];
  istioRootNamespace: string;
  backoff: BackoffOptions;
  history: HistoryOptions;
}

const DEFAULT_RETENTION_DAYS = 90;

function readClusters(config: Config): ClusterConfig[] {
  const clusters: ClusterConfig[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    if (method.getString('type') !== 'config') {
      continue;
    }
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      const name = c.getString('name');
      const authMetadata =
        c.getOptional<Record<string, string>>('authMetadata');
      clusters.push({
        name,
        url: c.getString('url').replace(/\/+$/, ''),
        authProvider:
          authMetadata?.['kubernetes.io/auth-provider'] ??
          c.getOptionalString('authProvider') ??
          'serviceAccount',
        serviceAccountToken:
          c.getOptionalString('serviceAccountToken') ??
          authMetadata?.serviceAccountToken,
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    }
  }
  return clusters;
}

function readRetentionDays(section: Config | undefined): number {
  const days =
    section?.getOptionalNumber('history.retentionDays') ??
    DEFAULT_RETENTION_DAYS;
  if (!Number.isFinite(days) || days <= 0) {
    throw new Error(
      `progressiveDelivery.history.retentionDays must be a positive number of days, got ${days}`,
    );
  }
  return days;
}

/**
 * Reads the clusters from `kubernetes.clusterLocatorMethods` and narrows clusters and kinds
 * with the optional `progressiveDelivery` section.
 */
export function readProgressiveDeliveryConfig(
  config: Config,
): ProgressiveDeliveryConfig {
  const section = config.getOptionalConfig('progressiveDelivery');
  let clusters = readClusters(config);
  const onlyClusters = section?.getOptionalStringArray('clusters');
  if (onlyClusters) {
    const unknown = onlyClusters.filter(n => !clusters.some(c => c.name === n));
    if (unknown.length > 0) {
      throw new Error(
        `progressiveDelivery.clusters names unknown clusters: ${unknown.join(
          ', ',
        )}`,
      );
    }
    clusters = clusters.filter(c => onlyClusters.includes(c.name));
  }
  let kinds = [...WATCHED_KINDS];
  const onlyKinds = section?.getOptionalStringArray('kinds');
  if (onlyKinds) {
    const unknown = onlyKinds.filter(k => !kinds.some(w => w.kind === k));
    if (unknown.length > 0) {
      throw new Error(
        `progressiveDelivery.kinds names unsupported kinds: ${unknown.join(
          ', ',
        )}; supported: ${WATCHED_KINDS.map(k => k.kind).join(', ')}`,
      );
    }
    kinds = kinds.filter(k => onlyKinds.includes(k.kind));
  }
  return {
    clusters,
    kinds,
    istioRootNamespace:
      section?.getOptionalString('istioRootNamespace') ?? 'istio-system',
    backoff: {
      initialMs: section?.getOptionalNumber('backoff.initialMs') ?? 500,
      maxMs: section?.getOptionalNumber('backoff.maxMs') ?? 30_000,
    },
    history: { retentionDays: readRetentionDays(section) },
  };
}
