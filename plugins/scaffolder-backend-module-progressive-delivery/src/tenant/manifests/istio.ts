import { JsonObject } from '@backstage/types';
import { TenantContext } from './TenantContext';

/**
 * Strict mTLS; an AuthorizationPolicy admitting the ingress gateway, the namespace itself and (with
 * an application) Flagger's loadtester; a Sidecar limiting egress to the namespace and the mesh.
 */
export function renderIstio(t: TenantContext): JsonObject[] {
  const { mesh, namespace: ns } = t;
  const peerAuthentication = {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: t.metadata('default'),
    spec: { mtls: { mode: 'STRICT' } },
  };
  const gatewayPrincipal = `cluster.local/ns/${mesh.ingressGatewayServiceAccount.namespace}/sa/${mesh.ingressGatewayServiceAccount.name}`;
  const authorizationPolicy = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: t.metadata('allow-gateway-and-namespace'),
    spec: {
      action: 'ALLOW',
      rules: [
        { from: [{ source: { principals: [gatewayPrincipal] } }] },
        {
          from: [
            {
              source: {
                // The loadtester sends the canary's test traffic from its own namespace.
                namespaces: t.request.application
                  ? [ns, mesh.loadtesterNamespace]
                  : [ns],
              },
            },
          ],
        },
      ],
    },
  };
  const sidecar = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: t.metadata('default'),
    spec: {
      egress: [{ hosts: ['./*', ...t.meshNamespaces.map(n => `${n}/*`)] }],
      outboundTrafficPolicy: {
        mode: t.request.network.allowEgress ? 'ALLOW_ANY' : 'REGISTRY_ONLY',
      },
    },
  };
  return [peerAuthentication, authorizationPolicy, sidecar];
}
