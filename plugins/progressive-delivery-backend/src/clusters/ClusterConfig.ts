import { KubernetesCredential } from '@backstage/plugin-kubernetes-node';

/** Where a cluster came from: a `kubernetes.clusterLocatorMethods` entry's type. */
export type ClusterSource =
  | 'config'
  | 'catalog'
  | 'localKubectlProxy'
  | 'inCluster'
  | 'gke';

/**
 * The providers that sign in as the user (the Kubernetes plugin's frontend gets their token):
 * watching needs a server-side credential besides, and actions use the user's own token.
 */
export const USER_DELEGATED_PROVIDERS: ReadonlySet<string> = new Set([
  'aks',
  'google',
  'oidc',
]);

/**
 * Where the credentials of a cluster's requests come from: asked before every request (the
 * strategies cache their tokens themselves), asked again after a 401.
 */
export interface CredentialSource {
  /** The credential for the next request. */
  get(): Promise<KubernetesCredential>;
  /** After the API server refused a credential (401): the strategy asked again. */
  renew(): Promise<KubernetesCredential>;
  /** For messages: e.g. `the azure strategy (Workload Identity / DefaultAzureCredential)`. */
  readonly description: string;
}

/**
 * A cluster as the Kubernetes plugin's cluster locators describe it (`ClusterDetails`), with
 * where it came from. Locators fill the settings; the cluster registry adds `credentials` (or
 * `configError` when no server-side credential can be had).
 */
export interface ClusterConfig {
  name: string;
  url: string;
  authProvider: string;
  /** A static token (the `serviceAccountToken` key or `authMetadata.serviceAccountToken`). */
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  /** The Kubernetes plugin's auth metadata (`kubernetes.io/*` keys, `serviceAccountToken`). */
  authMetadata?: Record<string, string>;
  /** Default `config`. */
  source?: ClusterSource;
  title?: string;
  /** Server-side credentials; without them the static `serviceAccountToken` (or none). */
  credentials?: CredentialSource;
  /** Actions on a user-delegated cluster: the user's cluster token as the provider takes it. */
  userCredentials?: (token: string) => Promise<KubernetesCredential>;
  /** Why the cluster cannot be watched (unsupported locator, no server-side credential). */
  configError?: string;
}

/** `kubernetes.io/oidc-token-provider` of an oidc cluster. */
export function oidcTokenProviderOf(
  cluster: ClusterConfig,
): string | undefined {
  return cluster.authMetadata?.['kubernetes.io/oidc-token-provider'];
}

/** Whether actions on the cluster are performed with the user's own cluster token. */
export function isUserDelegated(cluster: ClusterConfig): boolean {
  return USER_DELEGATED_PROVIDERS.has(cluster.authProvider);
}
