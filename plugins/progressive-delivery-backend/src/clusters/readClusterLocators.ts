import { Config } from '@backstage/config';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
  ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER,
} from '@backstage/plugin-kubernetes-common';
import { ClusterConfig } from './ClusterConfig';

/** The pod's projected service account token, as `KubeConfig.loadFromCluster` reads it. */
export const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** What `kubectl proxy` listens on by default (the Kubernetes plugin's localKubectlProxy). */
export const LOCAL_KUBECTL_PROXY_URL = 'http://localhost:8001';
const DEFAULT_CATALOG_REFRESH_SECONDS = 60;

/** A `catalog` locator's options, as the Kubernetes plugin reads them. */
export interface CatalogLocatorOptions {
  dangerouslyAllowClusterUrls?: string[];
  dangerouslyAllowSkipTLSVerify?: boolean;
}

/** Every cluster source of `kubernetes.clusterLocatorMethods`, and how to read them. */
export interface ClusterSources {
  /** Clusters known from configuration alone (config, localKubectlProxy, in-cluster). */
  clusters: ClusterConfig[];
  /** Locators that are not supported (gke), each as an entry in error that says so. */
  unsupported: ClusterConfig[];
  /** The `catalog` locators, read from the catalog at start and then every refresh. */
  catalog: CatalogLocatorOptions[];
  catalogRefreshSeconds: number;
  /** `progressiveDelivery.clusters`: only these names, from any source. */
  only?: string[];
  /** The in-cluster token file; re-read when it changes. */
  inClusterTokenFile: string;
}

/** The `authMetadata` of a config cluster, as `ConfigClusterLocator` builds it. */
function authMetadataOf(
  c: Config,
  authProvider: string,
): Record<string, string> {
  const named: Record<string, string | undefined> = {
    serviceAccountToken: c.getOptionalString('serviceAccountToken'),
    [ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE]: c.getOptionalString('assumeRole'),
    [ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID]: c.getOptionalString('externalId'),
    [ANNOTATION_KUBERNETES_OIDC_TOKEN_PROVIDER]:
      c.getOptionalString('oidcTokenProvider'),
  };
  const metadata: Record<string, string> = {
    [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: authProvider,
  };
  for (const [key, value] of Object.entries(named)) {
    if (value) {
      metadata[key] = value;
    }
  }
  return {
    ...metadata,
    ...c.getOptional<Record<string, string>>('authMetadata'),
  };
}

/** The clusters of a `config` locator (`ConfigClusterLocator`'s keys and defaults). */
function configClusters(method: Config, names: Set<string>): ClusterConfig[] {
  return (method.getOptionalConfigArray('clusters') ?? []).map(c => {
    const name = c.getString('name');
    if (names.has(name)) {
      throw new Error(`Duplicate cluster name '${name}'`);
    }
    names.add(name);
    const authProvider =
      c.getOptional<Record<string, string>>('authMetadata')?.[
        ANNOTATION_KUBERNETES_AUTH_PROVIDER
      ] ??
      c.getOptionalString('authProvider') ??
      'serviceAccount';
    const authMetadata = authMetadataOf(c, authProvider);
    const serviceAccountToken = authMetadata.serviceAccountToken;
    return {
      name,
      title: c.getOptionalString('title'),
      url: c.getString('url').replace(/\/+$/, ''),
      authProvider,
      authMetadata,
      serviceAccountToken,
      caData: c.getOptionalString('caData'),
      caFile: c.getOptionalString('caFile'),
      skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      // A serviceAccount cluster without a token is Backstage's own cluster: the pod's token.
      source:
        authProvider === 'serviceAccount' && !serviceAccountToken
          ? 'inCluster'
          : 'config',
    };
  });
}

/** `kubectl proxy` on this host, anonymous, as `LocalKubectlProxyClusterLocator` names it. */
function localKubectlProxy(url: string | undefined): ClusterConfig {
  return {
    name: 'local',
    url: (url ?? LOCAL_KUBECTL_PROXY_URL).replace(/\/+$/, ''),
    authProvider: 'localKubectlProxy',
    authMetadata: {
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'localKubectlProxy',
    },
    skipTLSVerify: false,
    source: 'localKubectlProxy',
  };
}

/** GKE discovery needs Google's APIs; its entry only says so. */
function gkeUnsupported(method: Config): ClusterConfig {
  const project = method.getOptionalString('projectId') ?? 'unknown project';
  return {
    name: `gke:${project}`,
    url: '',
    authProvider: method.getOptionalString('authProvider') ?? 'google',
    skipTLSVerify: false,
    source: 'gke',
    configError: `the gke cluster locator (project ${project}) is not supported by Progressive Delivery: list its clusters with a config or catalog locator`,
  };
}

/**
 * Reads `kubernetes.clusterLocatorMethods` as the Kubernetes plugin does: `config` clusters
 * (a serviceAccount cluster without a token is the in-cluster one), `localKubectlProxy`,
 * `catalog` locators (read later, from the catalog) and `gke` (unsupported, reported).
 */
export function readClusterSources(config: Config): ClusterSources {
  const section = config.getOptionalConfig('progressiveDelivery');
  const sources: ClusterSources = {
    clusters: [],
    unsupported: [],
    catalog: [],
    catalogRefreshSeconds:
      section?.getOptionalNumber('catalogClusterRefreshSeconds') ??
      DEFAULT_CATALOG_REFRESH_SECONDS,
    only: section?.getOptionalStringArray('clusters'),
    inClusterTokenFile:
      section?.getOptionalString('inClusterTokenFile') ?? IN_CLUSTER_TOKEN_FILE,
  };
  const names = new Set<string>();
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type === 'config') {
      sources.clusters.push(...configClusters(method, names));
    } else if (type === 'localKubectlProxy') {
      sources.clusters.push(
        localKubectlProxy(section?.getOptionalString('localKubectlProxyUrl')),
      );
    } else if (type === 'catalog') {
      sources.catalog.push({
        dangerouslyAllowClusterUrls: method.getOptionalStringArray(
          'dangerouslyAllowClusterUrls',
        ),
        dangerouslyAllowSkipTLSVerify: method.getOptionalBoolean(
          'dangerouslyAllowSkipTLSVerify',
        ),
      });
    } else if (type === 'gke') {
      sources.unsupported.push(gkeUnsupported(method));
    } else {
      throw new Error(
        `Unsupported kubernetes.clusterLocatorMethods: "${type}"`,
      );
    }
  }
  if (sources.catalogRefreshSeconds <= 0) {
    throw new Error(
      'progressiveDelivery.catalogClusterRefreshSeconds must be a positive number',
    );
  }
  return sources;
}
