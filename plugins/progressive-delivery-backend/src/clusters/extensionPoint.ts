import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';

/**
 * Adds or replaces the authentication strategy of a cluster auth provider, like the
 * Kubernetes plugin's `kubernetesAuthStrategyExtensionPoint` (e.g. an `AzureIdentityStrategy`
 * with a `TokenCredential` of your own).
 *
 * @public
 */
export interface ProgressiveDeliveryClusterAuthExtensionPoint {
  addAuthStrategy(providerName: string, strategy: AuthenticationStrategy): void;
}

/**
 * The extension point of {@link ProgressiveDeliveryClusterAuthExtensionPoint}.
 *
 * @public
 */
export const progressiveDeliveryClusterAuthExtensionPoint =
  createExtensionPoint<ProgressiveDeliveryClusterAuthExtensionPoint>({
    id: 'progressive-delivery.cluster-auth',
  });
