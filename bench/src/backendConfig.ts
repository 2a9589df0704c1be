import { JsonObject } from '@backstage/types';

export type TargetName = 'ours' | 'peer' | 'ceiling';

/** A simulated cluster as the simulator announced it. */
export interface SimulatedClusterInfo {
  name: string;
  url: string;
}

export interface BackendConfigOptions {
  target: TargetName;
  port: number;
  /** Static external-access token the load generator authenticates with. */
  token: string;
  clusters: SimulatedClusterInfo[];
  clusterToken: string;
  caFile: string;
  /** Catalog Components to provide (one per canary name). */
  entities: number;
  /** File with the body the ceiling endpoint answers. */
  ceilingBodyFile?: string;
  /** Ours: every cluster's Prometheus (the analysis evaluator's queries go there). */
  prometheusUrl?: string;
  /**
   * More static external-access tokens, one per simulated user of the live streams (subject
   * `bench-stream-viewer-NN`), so that a per-user limit would see distinct users.
   */
  viewerTokens?: string[];
  /**
   * A directory holding the catalog's SQLite file (`catalog.sqlite`), so that the backend starts
   * on a catalog that already holds the entities, as a restart does; other plugins stay in
   * memory. Without it the catalog is in memory too, and ingests every entity at start.
   */
  catalogDatabaseDir?: string;
}

/** The file the catalog's database is kept in, inside `catalogDatabaseDir`. */
export const CATALOG_DATABASE_FILE = 'catalog.sqlite';

/**
 * Kinds a user adds to the Kubernetes plugin's `customResources` to see Flagger, Flux and
 * Istio objects on the entity's Kubernetes tab.
 */
export const PEER_CUSTOM_RESOURCES = [
  { group: 'flagger.app', apiVersion: 'v1beta1', plural: 'canaries' },
  {
    group: 'kustomize.toolkit.fluxcd.io',
    apiVersion: 'v1',
    plural: 'kustomizations',
  },
  {
    group: 'networking.istio.io',
    apiVersion: 'v1beta1',
    plural: 'virtualservices',
  },
];

/** In-memory SQLite; the catalog's on disk when the run filled it beforehand. */
function databaseConfig(options: BackendConfigOptions): JsonObject {
  return {
    client: 'better-sqlite3',
    connection: ':memory:',
    ...(options.catalogDatabaseDir
      ? {
          plugin: {
            catalog: {
              connection: {
                directory: options.catalogDatabaseDir,
                filename: CATALOG_DATABASE_FILE,
              },
            },
          },
        }
      : {}),
  };
}

/**
 * The app-config of one benchmark backend: in-memory SQLite, a static token for the load
 * generator, the catalog and permission backends every target has, and (except for the
 * ceiling) the clusters in the Kubernetes plugin's format (read by both plugins).
 */
export function backendConfig(options: BackendConfigOptions): JsonObject {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const config: JsonObject = {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port: options.port },
      database: databaseConfig(options),
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: options.token, subject: 'bench-load-generator' },
          },
          ...(options.viewerTokens ?? []).map((token, i) => ({
            type: 'static',
            options: {
              token,
              subject: `bench-stream-viewer-${String(i + 1).padStart(2, '0')}`,
            },
          })),
        ],
      },
    },
    bench: {
      entities: options.entities,
      ...(options.ceilingBodyFile
        ? { ceilingBodyFile: options.ceilingBodyFile }
        : {}),
    },
  };
  const platform: JsonObject = {
    ...config,
    permission: { enabled: true },
    catalog: { rules: [{ allow: ['Component'] }], locations: [] },
  };
  if (options.target === 'ceiling') {
    return platform;
  }
  return {
    ...platform,
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: options.clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: options.clusterToken,
            caFile: options.caFile,
            // The simulator serves no metrics.k8s.io, as a cluster without metrics-server.
            skipMetricsLookup: true,
          })),
        },
      ],
      ...(options.target === 'peer'
        ? { customResources: PEER_CUSTOM_RESOURCES }
        : {}),
    },
    ...(options.target === 'ours' && options.prometheusUrl
      ? { progressiveDelivery: analysisConfig(options, options.prometheusUrl) }
      : {}),
  };
}

/** Our analysis evaluator sends each cluster's queries to one Prometheus URL. */
function analysisConfig(
  options: BackendConfigOptions,
  url: string,
): JsonObject {
  return {
    analysis: {
      clusters: Object.fromEntries(
        options.clusters.map(c => [c.name, { prometheus: { url } }]),
      ),
    },
  };
}
