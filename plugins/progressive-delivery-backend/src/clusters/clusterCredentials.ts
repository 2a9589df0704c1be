import {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import { KubernetesRequestAuth } from '@backstage/plugin-kubernetes-common';
import { readFile } from 'node:fs/promises';
import {
  ClusterConfig,
  CredentialSource,
  isUserDelegated,
  oidcTokenProviderOf,
} from './ClusterConfig';
import { AuthStrategies, describeStrategy } from './authStrategies';

/** The Kubernetes plugin's view of a cluster, as its strategies take it. */
export function clusterDetailsOf(cluster: ClusterConfig): ClusterDetails {
  return {
    name: cluster.name,
    title: cluster.title,
    url: cluster.url,
    authMetadata: {
      'kubernetes.io/auth-provider': cluster.authProvider,
      ...cluster.authMetadata,
      ...(cluster.serviceAccountToken
        ? { serviceAccountToken: cluster.serviceAccountToken }
        : {}),
    },
    skipTLSVerify: cluster.skipTLSVerify,
    caData: cluster.caData,
    caFile: cluster.caFile,
  };
}

/**
 * The pod's projected service account token, read on every request, so a token the kubelet
 * rotated is used at once (`ServiceAccountStrategy` reads the same file, at a fixed path).
 */
export class TokenFileStrategy implements AuthenticationStrategy {
  constructor(private readonly path: string) {}

  async getCredential(): Promise<KubernetesCredential> {
    const token = (await readFile(this.path, 'utf8')).trim();
    return { type: 'bearer token', token };
  }

  validateCluster(): Error[] {
    return [];
  }

  presentAuthMetadata() {
    return {};
  }
}

function strategySource(
  cluster: ClusterConfig,
  strategy: AuthenticationStrategy,
  description: string,
): CredentialSource {
  const details = clusterDetailsOf(cluster);
  // Strategies cache their credentials themselves; asked again, one that rotated answers anew.
  const get = () => strategy.getCredential(details, {});
  return { get, renew: get, description };
}

/** What to configure for a user-delegated cluster that has no server-side credential. */
function userDelegatedWithoutToken(cluster: ClusterConfig): string {
  const via = signsInVia(cluster);
  const where =
    cluster.source === 'catalog'
      ? 'a catalog cluster cannot carry a token (the Kubernetes plugin drops it), so declare this cluster in a config locator with serviceAccountToken'
      : 'add serviceAccountToken (a service account that may get, list and watch the watched kinds) to its entry in kubernetes.clusterLocatorMethods, or to its authMetadata';
  return `cluster ${cluster.name} signs in as the user via ${via}, but the watch cache needs a server-side credential: ${where}`;
}

/** `oidc (token provider okta)`, `aks`, `google`. */
export function signsInVia(cluster: ClusterConfig): string {
  const provider = oidcTokenProviderOf(cluster);
  return cluster.authProvider === 'oidc' && provider
    ? `oidc (token provider ${provider})`
    : cluster.authProvider;
}

/**
 * The server-side credentials the cluster is watched with, or why there are none: the
 * provider's strategy; for serviceAccount without a token the pod's token file; for the
 * user-delegated providers (aks, google, oidc) the entry's serviceAccountToken.
 */
export function serverCredentials(
  cluster: ClusterConfig,
  strategies: AuthStrategies,
  inClusterTokenFile: string,
): Pick<ClusterConfig, 'credentials' | 'configError'> {
  const provider = cluster.authProvider;
  if (isUserDelegated(cluster) && !strategies.isAdded(provider)) {
    if (!cluster.serviceAccountToken) {
      return { configError: userDelegatedWithoutToken(cluster) };
    }
    return {
      credentials: strategySource(
        cluster,
        strategies.get('serviceAccount')!,
        `the serviceAccountToken configured for ${provider} cluster ${cluster.name}`,
      ),
    };
  }
  if (
    provider === 'serviceAccount' &&
    !cluster.serviceAccountToken &&
    !strategies.isAdded(provider)
  ) {
    return {
      credentials: strategySource(
        cluster,
        new TokenFileStrategy(inClusterTokenFile),
        `the pod's service account token (${inClusterTokenFile})`,
      ),
    };
  }
  const strategy = strategies.get(provider);
  if (!strategy) {
    return {
      configError: `cluster ${cluster.name}: authProvider "${provider}" has no AuthenticationStrategy associated with it`,
    };
  }
  const invalid = strategy.validateCluster(
    clusterDetailsOf(cluster).authMetadata,
  );
  if (invalid.length > 0) {
    return {
      configError: `cluster ${cluster.name}: ${invalid
        .map(e => e.message)
        .join(', ')}`,
    };
  }
  return {
    credentials: strategySource(cluster, strategy, describeStrategy(provider)),
  };
}

/** The user's cluster token as the provider's strategy takes it (`KubernetesRequestAuth`). */
function requestAuthOf(
  cluster: ClusterConfig,
  token: string,
): KubernetesRequestAuth {
  if (cluster.authProvider === 'oidc') {
    return { oidc: { [oidcTokenProviderOf(cluster) ?? '']: token } };
  }
  return { [cluster.authProvider]: token };
}

/**
 * The credential of a user's own cluster token on a user-delegated cluster, through the
 * provider's strategy, so the cluster's RBAC decides and its audit log names the user.
 */
export async function userCredential(
  cluster: ClusterConfig,
  strategies: AuthStrategies,
  token: string,
): Promise<KubernetesCredential> {
  const strategy = strategies.get(cluster.authProvider);
  if (!strategy) {
    throw new Error(
      `cluster ${cluster.name}: authProvider "${cluster.authProvider}" has no AuthenticationStrategy associated with it`,
    );
  }
  return strategy.getCredential(
    clusterDetailsOf(cluster),
    requestAuthOf(cluster, token),
  );
}
