import { KubeObject } from '../../types';
import { kubeObject, tenantMeta } from './objects';

/**
 * A tenant's Kubernetes basics: its service account and binding, quota,
 * limits and a network policy admitting the mesh's ingress namespace.
 */
export function tenantCore(
  tenant: string,
  ingressNamespace = 'istio-system',
): KubeObject[] {
  const meta = (name: string) => tenantMeta(tenant, name);
  const quota = {
    'requests.cpu': '4',
    'requests.memory': '8Gi',
    'limits.cpu': '8',
    'limits.memory': '16Gi',
    pods: '50',
  };
  return [
    kubeObject('v1', 'ServiceAccount', meta(tenant)),
    kubeObject(
      'rbac.authorization.k8s.io/v1',
      'RoleBinding',
      meta('gotk-reconciler'),
      {
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'admin',
        },
        subjects: [
          { kind: 'User', name: `gotk:${tenant}:reconciler` },
          { kind: 'ServiceAccount', name: tenant, namespace: tenant },
        ],
      },
    ),
    kubeObject('v1', 'ResourceQuota', meta(`${tenant}-quota`), {
      spec: { hard: { ...quota } },
      status: {
        hard: { ...quota },
        used: {
          'requests.cpu': '1200m',
          'requests.memory': '1536Mi',
          'limits.cpu': '2400m',
          'limits.memory': '3Gi',
          pods: '12',
        },
      },
    }),
    kubeObject('v1', 'LimitRange', meta(`${tenant}-limits`), {
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '500m', memory: '512Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi' },
          },
        ],
      },
    }),
    kubeObject(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      meta('default-deny-ingress-except-mesh'),
      {
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [tenant, ingressNamespace].map(ns => ({
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': ns },
                },
              })),
            },
          ],
        },
      },
    ),
  ];
}
