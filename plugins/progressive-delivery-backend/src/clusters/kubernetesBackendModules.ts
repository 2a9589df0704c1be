import type * as KubernetesBackend from '@backstage/plugin-kubernetes-backend';

/** The Kubernetes plugin's authentication strategy classes, by export name. */
export type StrategyClasses = Pick<
  typeof KubernetesBackend,
  | 'AksStrategy'
  | 'AnonymousStrategy'
  | 'AwsIamStrategy'
  | 'AzureIdentityStrategy'
  | 'GoogleServiceAccountStrategy'
  | 'GoogleStrategy'
  | 'OidcStrategy'
  | 'ServiceAccountStrategy'
>;

/**
 * The header that carries a user's own cluster token, as the Kubernetes plugin's proxy reads it
 * (`HEADER_KUBERNETES_AUTH` of `@backstage/plugin-kubernetes-backend`; a test keeps the two
 * equal). Kept here so that reading it does not load that package's index.
 */
export const HEADER_KUBERNETES_AUTH = 'Backstage-Kubernetes-Authorization';

/**
 * One strategy class, loaded from its own module of `@backstage/plugin-kubernetes-backend` on
 * first use. The package's index loads every strategy's SDK at once (Google Cloud's container
 * client, the AWS SDK, Azure identity): seconds of start-up and tens of MB of heap that a
 * backend whose clusters use service-account tokens never needs. Should a release move the
 * module, the index is loaded instead (a test checks that every module is where it is looked
 * for, so an upgrade that moves them shows up).
 */
export function loadStrategyClass<K extends keyof StrategyClasses>(
  name: K,
): StrategyClasses[K] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(`@backstage/plugin-kubernetes-backend/dist/auth/${name}.cjs.js`);
    if (module?.[name]) {
      return module[name];
    }
  } catch {
    // moved in this release of the package: fall back to its index
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@backstage/plugin-kubernetes-backend')[name];
}
