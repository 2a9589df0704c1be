import { Entity } from '@backstage/catalog-model';
import { scaleCanaryName } from '@internal/cluster-simulator';

/** The annotation both plugins resolve objects by (the simulator labels objects with it). */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

const LOCATION = 'bench:scale-entities';

/**
 * One Component per canary of the simulator's `scale` scenario, annotated the way a user
 * annotates a service for the Kubernetes plugin. Canary names repeat in every cluster, so
 * each entity spans all clusters.
 */
export function scaleEntity(index: number): Entity {
  const name = scaleCanaryName(index);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      description: `Scale-scenario service ${name}`,
      annotations: {
        [KUBERNETES_ID_ANNOTATION]: name,
        'backstage.io/managed-by-location': LOCATION,
        'backstage.io/managed-by-origin-location': LOCATION,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/bench',
    },
  };
}

export function scaleEntities(count: number): Entity[] {
  return Array.from({ length: count }, (_, i) => scaleEntity(i));
}
