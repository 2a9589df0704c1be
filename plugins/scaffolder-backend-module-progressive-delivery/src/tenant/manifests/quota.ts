import { JsonObject } from '@backstage/types';
import { TenantContext } from './TenantContext';

/** The tenant's ResourceQuota and the LimitRange that fits containers into it. */
export function renderQuota(t: TenantContext): JsonObject[] {
  const { quota } = t.request;
  const resourceQuota = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: t.metadata('tenant-quota'),
    spec: {
      hard: {
        'requests.cpu': String(quota.cpu),
        'limits.cpu': String(quota.cpu),
        'requests.memory': `${quota.memoryGi}Gi`,
        'limits.memory': `${quota.memoryGi}Gi`,
        pods: String(quota.pods),
        persistentvolumeclaims: String(quota.persistentVolumeClaims),
        services: String(quota.services),
      },
    },
  };
  // Defaults keep pods without resources schedulable under the quota; max stops one container
  // from taking the whole quota.
  const limitRange = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: t.metadata('tenant-limits'),
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          default: { cpu: '500m', memory: '512Mi' },
          max: { cpu: String(quota.cpu), memory: `${quota.memoryGi}Gi` },
        },
      ],
    },
  };
  return [resourceQuota, limitRange];
}
