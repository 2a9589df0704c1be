import { WorkloadSummary } from '../api';
import { KubeObject } from '../kubernetes';
import { asArray, asNumber, asString, readPath } from './read';

/**
 * The replica counters of a workload: a Deployment's desired, ready and updated replicas; a
 * DaemonSet's desired, ready and updated scheduled pods (one per eligible node).
 */
function counters(
  workload: KubeObject,
): Pick<WorkloadSummary, 'replicas' | 'readyReplicas' | 'updatedReplicas'> {
  const status = (field: string) => asNumber(readPath(workload.status, field));
  if (workload.kind === 'DaemonSet') {
    return {
      replicas: status('desiredNumberScheduled'),
      readyReplicas: status('numberReady'),
      updatedReplicas: status('updatedNumberScheduled'),
    };
  }
  return {
    replicas: asNumber(readPath(workload.spec, 'replicas')),
    readyReplicas: status('readyReplicas'),
    updatedReplicas: status('updatedReplicas'),
  };
}

/**
 * Summarises a Deployment or DaemonSet: replicas (scheduled pods for a DaemonSet) and images.
 *
 * @public
 */
export function deriveWorkloadSummary(
  cluster: string,
  workload: KubeObject,
): WorkloadSummary {
  const containers =
    asArray(readPath(workload.spec, 'template', 'spec', 'containers')) ?? [];
  return {
    ref: {
      cluster,
      kind: workload.kind ?? 'Deployment',
      namespace: workload.metadata?.namespace ?? '',
      name: workload.metadata?.name ?? '',
    },
    ...counters(workload),
    images: containers
      .map(c => asString(readPath(c, 'image')))
      .filter((image): image is string => image !== undefined),
  };
}
