import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_API_SERVER_CA,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY,
} from '@backstage/plugin-kubernetes-common';
import { ClusterConfig } from './ClusterConfig';
import { validateClusterApiServerUrl } from './clusterUrl';
import { CatalogLocatorOptions } from './readClusterLocators';

/** The annotations the Kubernetes plugin passes on as auth metadata (never a token). */
function authMetadataOf(annotations: Record<string, string>) {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith('kubernetes.io/') && key !== 'serviceAccountToken') {
      metadata[key] = value;
    }
  }
  return metadata;
}

/**
 * A `kubernetes-cluster` Resource as `CatalogClusterLocator` reads it, or undefined (logged)
 * when the plugin would ignore it: no annotations, the serviceAccount provider (a token in an
 * entity anyone can read), or an API server URL the locator's options do not allow.
 */
export async function clusterOfEntity(
  entity: Entity,
  options: CatalogLocatorOptions,
  logger: LoggerService,
): Promise<ClusterConfig | undefined> {
  const name = entity.metadata.name;
  const annotations = entity.metadata.annotations;
  if (!annotations) {
    logger.warn(
      `Ignoring kubernetes-cluster Resource "${name}" without annotations`,
    );
    return undefined;
  }
  const authProvider = annotations[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  if (authProvider === 'serviceAccount') {
    logger.warn(
      `Ignoring kubernetes-cluster Resource "${name}": catalog cluster locator does not support the serviceAccount auth provider`,
    );
    return undefined;
  }
  const url = annotations[ANNOTATION_KUBERNETES_API_SERVER];
  try {
    await validateClusterApiServerUrl(url, options);
  } catch (error) {
    logger.warn(
      `Ignoring kubernetes-cluster Resource "${name}": ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return undefined;
  }
  return {
    name,
    title: entity.metadata.title,
    url: url.replace(/\/+$/, ''),
    authProvider,
    authMetadata: authMetadataOf(annotations),
    caData: annotations[ANNOTATION_KUBERNETES_API_SERVER_CA],
    skipTLSVerify:
      (options.dangerouslyAllowSkipTLSVerify ?? false) &&
      annotations[ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY] === 'true',
    source: 'catalog',
  };
}

/**
 * The clusters of every `catalog` locator: Resource entities of `spec.type`
 * kubernetes-cluster with the API server, its CA and an auth provider, read with the plugin's
 * own service credentials.
 */
export async function readCatalogClusters(options: {
  catalog: CatalogService;
  auth: AuthService;
  locators: CatalogLocatorOptions[];
  logger: LoggerService;
}): Promise<ClusterConfig[]> {
  if (options.locators.length === 0) {
    return [];
  }
  const { items } = await options.catalog.getEntities(
    {
      filter: [
        {
          kind: 'Resource',
          'spec.type': 'kubernetes-cluster',
          [`metadata.annotations.${ANNOTATION_KUBERNETES_API_SERVER}`]:
            CATALOG_FILTER_EXISTS,
          [`metadata.annotations.${ANNOTATION_KUBERNETES_API_SERVER_CA}`]:
            CATALOG_FILTER_EXISTS,
          [`metadata.annotations.${ANNOTATION_KUBERNETES_AUTH_PROVIDER}`]:
            CATALOG_FILTER_EXISTS,
        },
      ],
    },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );
  const clusters: ClusterConfig[] = [];
  // Each locator reads the same entities; its options decide which it accepts.
  for (const locator of options.locators) {
    for (const entity of items) {
      const cluster = await clusterOfEntity(entity, locator, options.logger);
      if (cluster && !clusters.some(c => c.name === cluster.name)) {
        clusters.push(cluster);
      }
    }
  }
  return clusters;
}
