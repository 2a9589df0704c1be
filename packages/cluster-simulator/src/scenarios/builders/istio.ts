import { ISTIO_NETWORKING_VERSION } from '../../flagger/model';
import { KubeObject } from '../../types';
import { metricTemplates } from './flagger';
import { kubeObject, namespace, tenantMeta } from './objects';

/**
 * A tenant's mesh policies: strict mTLS, who may call in (the tenant and its
 * ingress namespace: istio-system's ingress gateway, or the Gateway API
 * gateway's namespace), and its sidecar scope.
 */
export function tenantMesh(
  tenant: string,
  ingressNamespace = 'istio-system',
): KubeObject[] {
  const meta = (name: string) => tenantMeta(tenant, name);
  const security = 'security.istio.io/v1';
  return [
    kubeObject(security, 'PeerAuthentication', meta('default'), {
      spec: { mtls: { mode: 'STRICT' } },
    }),
    kubeObject(
      security,
      'AuthorizationPolicy',
      meta('allow-same-namespace-and-gateway'),
      {
        spec: {
          action: 'ALLOW',
          rules: [
            { from: [{ source: { namespaces: [tenant, ingressNamespace] } }] },
          ],
        },
      },
    ),
    kubeObject(
      security,
      'AuthorizationPolicy',
      meta('allow-prometheus-scrape'),
      {
        spec: {
          action: 'ALLOW',
          rules: [
            {
              from: [{ source: { namespaces: ['monitoring'] } }],
              to: [
                {
                  operation: {
                    methods: ['GET'],
                    paths: ['/metrics', '/stats/prometheus'],
                  },
                },
              ],
            },
          ],
        },
      },
    ),
    kubeObject('networking.istio.io/v1', 'Sidecar', meta('default'), {
      spec: {
        egress: [{ hosts: ['./*', 'istio-system/*'] }],
        outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      },
    }),
  ];
}

/** Platform objects in istio-system: the public gateway and metric templates. */
export function istioPlatform(domain: string): KubeObject[] {
  const hosts = [`*.${domain}`];
  return [
    namespace('istio-system'),
    kubeObject(
      ISTIO_NETWORKING_VERSION,
      'Gateway',
      { name: 'public-gateway', namespace: 'istio-system' },
      {
        spec: {
          selector: { istio: 'ingressgateway' },
          servers: [
            {
              port: { number: 443, name: 'https', protocol: 'HTTPS' },
              hosts,
              tls: { mode: 'SIMPLE', credentialName: 'public-gateway-cert' },
            },
            {
              port: { number: 80, name: 'http', protocol: 'HTTP' },
              hosts: [...hosts],
              tls: { httpsRedirect: true },
            },
          ],
        },
      },
    ),
    ...metricTemplates(),
  ];
}
