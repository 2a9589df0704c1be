import { JsonObject } from '@backstage/types';
import { TenantContext } from './TenantContext';

const namespaceSelector = (name: string) => ({
  namespaceSelector: {
    matchLabels: { 'kubernetes.io/metadata.name': name },
  },
});

/**
 * Default deny, then what a tenant in the mesh needs: its own namespace, the mesh, metrics
 * scraping, DNS, and HTTP/HTTPS egress when the request allows it.
 */
export function renderNetworkPolicies(t: TenantContext): JsonObject[] {
  const { network } = t.request;
  const networkPolicy = (name: string, spec: JsonObject) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: t.metadata(name),
    spec: { podSelector: {}, ...spec },
  });
  return [
    networkPolicy('default-deny', { policyTypes: ['Ingress', 'Egress'] }),
    networkPolicy('allow-same-namespace', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    // Sidecars reach istiod and the gateways reach the pods: both directions to the mesh.
    networkPolicy('allow-istio-system', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: t.meshNamespaces.map(namespaceSelector) }],
      egress: [{ to: t.meshNamespaces.map(namespaceSelector) }],
    }),
    networkPolicy('allow-metrics-scraping', {
      policyTypes: ['Ingress'],
      ingress: [{ from: network.metricsNamespaces.map(namespaceSelector) }],
    }),
    networkPolicy('allow-dns-egress', {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ...namespaceSelector('kube-system'),
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    ...(network.allowEgress
      ? [
          networkPolicy('allow-egress-http', {
            policyTypes: ['Egress'],
            egress: [
              {
                ports: [
                  { protocol: 'TCP', port: 80 },
                  { protocol: 'TCP', port: 443 },
                ],
              },
            ],
          }),
        ]
      : []),
  ];
}
