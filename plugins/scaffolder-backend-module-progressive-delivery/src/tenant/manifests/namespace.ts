import { JsonObject } from '@backstage/types';
import { TenantContext } from './TenantContext';

/** The tenant's Namespace, with Istio sidecar injection on. */
export function renderNamespace(t: TenantContext): JsonObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: t.namespace,
        labels: { ...t.labels, 'istio-injection': 'enabled' },
      },
    },
  ];
}
