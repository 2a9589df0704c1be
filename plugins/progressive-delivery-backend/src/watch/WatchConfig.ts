import { ClusterConfig } from '../clusters/ClusterConfig';
import { WatchedKind } from './kinds';

export type { ClusterConfig } from '../clusters/ClusterConfig';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** What the watchers need: which clusters and kinds, and how fast to reconnect. */
export interface WatchConfig {
  clusters: ClusterConfig[];
  kinds: WatchedKind[];
  backoff: BackoffOptions;
  /** Kinds of one cluster listed at once, in the order of `kinds` (default 4). */
  listConcurrency?: number;
}
