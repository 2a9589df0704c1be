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

/** Where the mesh's Prometheus is: the MetricTemplates' `provider.address` (`http://prometheus.istio-system:9090`). */
export const PROMETHEUS_SERVICE = {
  namespace: 'istio-system',
  name: 'prometheus',
  port: 9090,
} as const;

/**
 * The Service of Istio's Prometheus add-on, as istio/istio
 * samples/addons/prometheus.yaml (tag 1.30.3, commit
 * 56df41f63e513f834c9a3af33d8aed82d1d961f2) declares it: port 9090 named
 * `http` (Istio 1.5's Helm chart named it `http-prometheus`). No pods back it;
 * the service proxy reaches it when a real Prometheus is registered for the
 * cluster (`registerUpstream`), else it has no endpoints.
 */
export function prometheusService(): KubeObject {
  const labels = {
    'app.kubernetes.io/component': 'server',
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/instance': 'prometheus',
  };
  return kubeObject(
    'v1',
    'Service',
    {
      name: PROMETHEUS_SERVICE.name,
      namespace: PROMETHEUS_SERVICE.namespace,
      labels: {
        ...labels,
        'app.kubernetes.io/version': 'v3.10.0',
        'helm.sh/chart': 'prometheus-28.13.0',
        'app.kubernetes.io/part-of': 'prometheus',
      },
    },
    {
      spec: {
        ports: [
          {
            name: 'http',
            port: PROMETHEUS_SERVICE.port,
            protocol: 'TCP',
            targetPort: PROMETHEUS_SERVICE.port,
          },
        ],
        selector: labels,
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    },
  );
}

/** Platform objects in istio-system: the public gateway, the mesh's Prometheus Service and metric templates. */
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
    prometheusService(),
    ...metricTemplates(),
  ];
}
