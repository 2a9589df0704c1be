import { posix } from 'node:path';
import { JsonObject } from '@backstage/types';
import { TenantFileScope } from './TenantFile';

/**
 * A kustomize build file listing the Kubernetes files rendered before it in its directory (not the
 * catalog entity, which no cluster applies).
 */
export function renderKustomization(
  _tenant: unknown,
  { dir, earlier }: TenantFileScope,
): JsonObject[] {
  return [
    {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: earlier
        .filter(f => f.kind === 'kubernetes' && posix.dirname(f.path) === dir)
        .map(f => posix.basename(f.path)),
    },
  ];
}
