import { GATEWAY_API_GROUP } from '../../flagger/router/httpRoute';
import { KubeObject } from '../../types';
import { kubeObject, namespace } from './objects';

/** The namespace of the Gateway API ingress gateway, as on the AKS reference platform. */
export const GATEWAY_API_INGRESS_NAMESPACE = 'istio-ingress';
export const GATEWAY_API_GATEWAY = 'main';

/**
 * Istio's ingress through the Kubernetes Gateway API (the AKS platform's
 * `istio-ingress`): the namespace and the Gateway `main` of class `istio`,
 * HTTPS for `*.<domain>` with an HTTP listener, routes from every namespace.
 * Its status is written by the simulated Istio gateway controller.
 */
export function gatewayApiIngress(domain: string): KubeObject[] {
  const hostname = `*.${domain}`;
  const allowedRoutes = { namespaces: { from: 'All' } };
  return [
    namespace(GATEWAY_API_INGRESS_NAMESPACE, { 'istio-injection': 'enabled' }),
    kubeObject(
      `${GATEWAY_API_GROUP}/v1`,
      'Gateway',
      {
        name: GATEWAY_API_GATEWAY,
        namespace: GATEWAY_API_INGRESS_NAMESPACE,
      },
      {
        spec: {
          gatewayClassName: 'istio',
          listeners: [
            {
              name: 'https',
              hostname,
              port: 443,
              protocol: 'HTTPS',
              tls: {
                mode: 'Terminate',
                certificateRefs: [
                  { group: '', kind: 'Secret', name: 'main-gateway-cert' },
                ],
              },
              allowedRoutes,
            },
            {
              name: 'http',
              hostname,
              port: 80,
              protocol: 'HTTP',
              allowedRoutes,
            },
          ],
        },
      },
    ),
  ];
}
