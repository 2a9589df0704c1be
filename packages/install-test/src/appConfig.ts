import type { ClusterInfo } from '@internal/cluster-simulator';

/** One Component the Kubernetes plugin would show, by its kubernetes-id. */
export function catalogInfo(name: string): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    backstage.io/kubernetes-id: ${name}
spec:
  type: service
  lifecycle: production
  owner: team-a
`;
}

/**
 * The fresh app's configuration: what an app with the Kubernetes plugin already has (its
 * cluster locator, here the simulator's clusters with their CA), a catalog location, a static
 * external-access token for the test's requests and in-memory SQLite. Nothing of ours.
 */
export function appConfig(options: {
  port: number;
  token: string;
  catalogFile: string;
  clusters: ClusterInfo[];
}) {
  return {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      baseUrl: `http://localhost:${options.port}`,
      listen: { port: options.port, host: '127.0.0.1' },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: options.token, subject: 'install-test' },
          },
        ],
      },
    },
    catalog: {
      locations: [{ type: 'file', target: options.catalogFile }],
    },
    kubernetes: {
      serviceLocatorMethods: [{ type: 'multiTenant' }],
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: options.clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token,
            caData: c.caData,
          })),
        },
      ],
    },
  };
}
