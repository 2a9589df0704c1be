import { Config } from '@backstage/config';
import { ActionsConfig, readActionsConfig } from './actions/ActionsConfig';
import { AnalysisConfig } from './analysis/AnalysisConfig';
import { readAnalysisConfig } from './analysis/readAnalysisConfig';
import { NotifyConfig, readNotifyConfig } from './notify/NotifyConfig';
import { readStreamLimits, StreamLimits } from './state/StreamLimits';
import { WATCHED_KINDS } from './watch/kinds';
import {
  ClusterSources,
  readClusterSources,
} from './clusters/readClusterLocators';
import { WatchConfig } from './watch/WatchConfig';

export interface HistoryOptions {
  /** Rollouts that ended longer ago than this, and older events, are deleted. */
  retentionDays: number;
}

export interface ProgressiveDeliveryConfig extends WatchConfig {
  /** Every cluster locator; `clusters` are those known from configuration, narrowed. */
  clusterSources: ClusterSources;
  istioRootNamespace: string;
  history: HistoryOptions;
  /** The analysis evaluator: where each cluster's Prometheus is, links out. */
  analysis: AnalysisConfig;
  /** Notifications to canary owners, and the app's base URL for their links. */
  notifications: NotifyConfig;
  /** The cluster call timeout and where canary gates may be called. */
  actions: ActionsConfig;
  /** How many live streams are held open. */
  streams: StreamLimits;
}

const DEFAULT_RETENTION_DAYS = 90;

/**
 * The clusters of `kubernetes.clusterLocatorMethods` known from configuration (config,
 * localKubectlProxy, in-cluster; gke reported as unsupported), and the catalog locators read at
 * runtime (see clusters/readClusterLocators).
 */
function readClusters(config: Config): ClusterSources {
  return readClusterSources(config);
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

function readListConcurrency(section: Config | undefined): number {
  const value = section?.getOptionalNumber('listConcurrency') ?? 4;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `progressiveDelivery.listConcurrency must be a whole number of at least 1, got ${value}`,
    );
  }
  return value;
}

/** The items that `only` names (all of them without it); throws on names that match none. */
function onlyNamed<T>(
  items: T[],
  only: string[] | undefined,
  nameOf: (item: T) => string,
  unknownMessage: (unknown: string[]) => string,
): T[] {
  if (!only) {
    return items;
  }
  const unknown = only.filter(name => !items.some(i => nameOf(i) === name));
  if (unknown.length > 0) {
    throw new Error(unknownMessage(unknown));
  }
  return items.filter(i => only.includes(nameOf(i)));
}

/**
 * Reads the clusters from `kubernetes.clusterLocatorMethods` and narrows clusters and kinds
 * with the optional `progressiveDelivery` section.
 */
export function readProgressiveDeliveryConfig(
  config: Config,
): ProgressiveDeliveryConfig {
  const section = config.getOptionalConfig('progressiveDelivery');
  const clusterSources = readClusters(config);
  // With a catalog locator, names not configured may come from the catalog later.
  const clusters = onlyNamed(
    clusterSources.clusters,
    clusterSources.catalog.length > 0
      ? undefined
      : section?.getOptionalStringArray('clusters'),
    c => c.name,
    unknown =>
      `progressiveDelivery.clusters names unknown clusters: ${unknown.join(
        ', ',
      )}`,
  );
  const kinds = onlyNamed(
    [...WATCHED_KINDS],
    section?.getOptionalStringArray('kinds'),
    k => k.kind,
    unknown =>
      `progressiveDelivery.kinds names unsupported kinds: ${unknown.join(
        ', ',
      )}; supported: ${WATCHED_KINDS.map(k => k.kind).join(', ')}`,
  );
  const actions = readActionsConfig(section);
  return {
    clusters: clusters.filter(
      c => !clusterSources.only || clusterSources.only.includes(c.name),
    ),
    clusterSources,
    kinds,
    istioRootNamespace:
      section?.getOptionalString('istioRootNamespace') ?? 'istio-system',
    listConcurrency: readListConcurrency(section),
    backoff: {
      initialMs: section?.getOptionalNumber('backoff.initialMs') ?? 500,
      maxMs: section?.getOptionalNumber('backoff.maxMs') ?? 30_000,
    },
    history: { retentionDays: readRetentionDays(section) },
    analysis: readAnalysisConfig(
      section?.getOptionalConfig('analysis'),
      // With a catalog locator, an entry may name a cluster the catalog declares later.
      clusterSources.catalog.length > 0 ? undefined : clusters.map(c => c.name),
      actions.clusterCallTimeoutMs,
    ),
    notifications: readNotifyConfig(config),
    actions,
    streams: readStreamLimits(section?.getOptionalConfig('streams')),
  };
}
