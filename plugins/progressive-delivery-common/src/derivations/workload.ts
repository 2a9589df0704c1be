import { WorkloadSummary } from '../api';
import { KubeObject } from '../kubernetes';
import { asArray, asNumber, asString, readPath } from './read';

/**
 * Summarises a Deployment: replicas and images.
 *
 * @public
 */
export function deriveWorkloadSummary(
  cluster: string,
  deployment: KubeObject,
): WorkloadSummary {
  const containers =
    asArray(readPath(deployment.spec, 'template', 'spec', 'containers')) ?? [];
  return {
    ref: {
      cluster,
      kind: deployment.kind ?? 'Deployment',
      namespace: deployment.metadata?.namespace ?? '',
      name: deployment.metadata?.name ?? '',
    },
    replicas: asNumber(readPath(deployment.spec, 'replicas')),
    readyReplicas: asNumber(readPath(deployment.status, 'readyReplicas')),
    updatedReplicas: asNumber(readPath(deployment.status, 'updatedReplicas')),
    images: containers
      .map(c => asString(readPath(c, 'image')))
      .filter((image): image is string => image !== undefined),
  };
}
