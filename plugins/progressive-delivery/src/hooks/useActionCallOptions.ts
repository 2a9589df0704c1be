import { useApiHolder } from '@backstage/core-plugin-api';
import { kubernetesAuthProvidersApiRef } from '@backstage/plugin-kubernetes-react';
import { useMemo } from 'react';
import { ActionCallOptions } from '../api/userDelegatedActions';

/**
 * The options the action buttons call the API with: the Kubernetes plugin's frontend auth
 * providers when the app has them (optional: the plugin works without the Kubernetes plugin,
 * and only actions on clusters with user-delegated credentials need them).
 */
export function useActionCallOptions(): ActionCallOptions {
  const apis = useApiHolder();
  const kubernetesAuthProviders = apis.get(kubernetesAuthProvidersApiRef);
  return useMemo(
    () => ({ kubernetesAuthProviders }),
    [kubernetesAuthProviders],
  );
}
