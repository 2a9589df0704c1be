import { Simulator } from './Simulator';

/**
 * The Kubernetes plugin's `kubernetes` configuration for a started simulator: one `config`
 * locator listing every cluster with its full-access token (or `tokenFor`'s), as tests and
 * benchmarks give it to a Backstage backend.
 */
export function kubernetesConfig(
  sim: Pick<Simulator, 'clusters'>,
  options: { tokenFor?: (cluster: string) => string | undefined } = {},
) {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: sim.clusters.map(c => ({
          name: c.name,
          url: c.url,
          authProvider: 'serviceAccount',
          // client-node refuses plain HTTP unless TLS verification is off.
          skipTLSVerify: true,
          serviceAccountToken: options.tokenFor?.(c.name) ?? c.token,
        })),
      },
    ],
  };
}
