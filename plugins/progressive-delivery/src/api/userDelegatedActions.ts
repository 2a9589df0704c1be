import type { KubernetesAuthProvidersApi } from '@backstage/plugin-kubernetes-react';
import type { ClusterStatus } from '@progressive-delivery/plugin-progressive-delivery-common';

/**
 * The header the backend reads the user's own cluster token from: the Kubernetes plugin's
 * `HEADER_KUBERNETES_AUTH` (`@backstage/plugin-kubernetes-backend`).
 */
export const KUBERNETES_AUTH_HEADER = 'Backstage-Kubernetes-Authorization';

/**
 * How a cluster is signed in to, as `GET /v1/clusters` reports it (`ClusterStatus`): with
 * `userDelegatedActions`, actions on it run with the user's own cluster token (providers `aks`,
 * `google`, `oidc`), so the cluster's RBAC decides and its audit log names the user.
 *
 * @public
 */
export type ClusterSignIn = Pick<
  ClusterStatus,
  'name' | 'authProvider' | 'oidcTokenProvider' | 'userDelegatedActions'
>;

/**
 * Per-call options of the actions.
 *
 * @public
 */
export interface ActionCallOptions {
  /**
   * The Kubernetes plugin's frontend auth providers (`kubernetesAuthProvidersApiRef`), when the
   * app has them. Actions on clusters with user-delegated credentials need them for the user's
   * cluster token; other clusters do not.
   */
  kubernetesAuthProviders?: KubernetesAuthProvidersApi;
}

/**
 * The id the Kubernetes plugin's frontend auth providers know a cluster's provider by: `oidc`
 * clusters by `oidc.<oidcTokenProvider>`, as `KubernetesBackendClient.getCredentials` does.
 */
export function kubernetesAuthProviderId(cluster: ClusterSignIn): string {
  const provider = cluster.authProvider ?? 'serviceAccount';
  return provider === 'oidc' ? `oidc.${cluster.oidcTokenProvider}` : provider;
}

/**
 * The headers an action on `cluster` adds: none for clusters the backend signs in to itself;
 * the user's cluster token for clusters with user-delegated actions. Throws an error that says
 * what is missing when the app cannot provide the token.
 */
export async function userDelegatedHeaders(
  cluster: ClusterSignIn | undefined,
  options: ActionCallOptions = {},
): Promise<Record<string, string>> {
  if (!cluster?.userDelegatedActions) {
    return {};
  }
  const provider = kubernetesAuthProviderId(cluster);
  const providers = options.kubernetesAuthProviders;
  if (!providers) {
    throw new Error(
      `Actions on cluster ${cluster.name} run with your own cluster credentials (auth provider "${provider}"), but this app has no Kubernetes auth providers: add the Kubernetes frontend plugin (@backstage/plugin-kubernetes), whose kubernetesAuthProvidersApiRef provides "${provider}".`,
    );
  }
  let token: string | undefined;
  try {
    ({ token } = await providers.getCredentials(provider));
  } catch (error) {
    throw new Error(
      `Could not get your credentials for cluster ${
        cluster.name
      } from the Kubernetes auth provider "${provider}": ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  if (!token) {
    throw new Error(
      `The Kubernetes auth provider "${provider}" gave no token for cluster ${cluster.name}; sign in to it and try again.`,
    );
  }
  return { [KUBERNETES_AUTH_HEADER]: `Bearer ${token}` };
}
