import { WatchedKind } from './kinds';

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

/** What the watchers need: which clusters and kinds, and how fast to reconnect. */
export interface WatchConfig {
  clusters: ClusterConfig[];
  kinds: WatchedKind[];
  backoff: BackoffOptions;
}
