import { ClusterAnalysisConfig } from './AnalysisConfig';
import { routePrometheus } from './prometheusRoute';

const prometheus = (address?: string, extra = {}) => ({
  type: 'prometheus',
  ...(address !== undefined ? { address } : {}),
  ...extra,
});
const route = (
  provider: ReturnType<typeof prometheus> | { type: string; address?: string },
  cluster?: ClusterAnalysisConfig,
) =>
  routePrometheus(provider, 'prod-eu-1', {
    flaggerNamespace: 'flagger-system',
    cluster,
  });

describe('routePrometheus', () => {
  it.each([
    [
      'http://prometheus.istio-system:9090',
      'istio-system',
      'prometheus',
      '9090',
      '/',
    ],
    [
      'http://prometheus.monitoring.svc:9090/',
      'monitoring',
      'prometheus',
      '9090',
      '/',
    ],
    [
      'https://thanos-query.monitoring.svc.cluster.local:10902/prom',
      'monitoring',
      'thanos-query',
      'https:10902',
      '/prom',
    ],
    // A bare host resolves in Flagger's own namespace, where Flagger's pod resolves it.
    ['http://prometheus:9090', 'flagger-system', 'prometheus', '9090', '/'],
    ['http://prometheus', 'flagger-system', 'prometheus', '80', '/'],
  ])(
    'sends %s through the service proxy',
    (address, namespace, service, port, path) => {
      expect(route(prometheus(address))).toEqual({
        kind: 'proxy',
        cluster: 'prod-eu-1',
        address,
        target: { namespace, service, port, path },
        source: `service proxy ${address}`,
      });
    },
  );

  it.each([
    [
      'https://prometheus.example.com',
      /host prometheus.example.com is not a cluster-local/,
    ],
    ['http://10.0.0.12:9090', /host 10.0.0.12 is not a cluster-local/],
    ['http://user:pw@prometheus.monitoring:9090', /user information/],
    ['ftp://prometheus.monitoring', /scheme ftp:/],
    ['', /address "" is neither/],
  ])(
    'refuses %s, naming it and the key that would route it',
    (address, reason) => {
      const refused = route(prometheus(address));
      expect(refused).toEqual({ refused: expect.stringMatching(reason) });
      expect((refused as { refused: string }).refused).toContain(
        'progressiveDelivery.analysis.clusters.prod-eu-1.prometheus.url',
      );
    },
  );

  it('sends every prometheus query of a cluster to its configured URL', () => {
    const configured: ClusterAnalysisConfig = {
      links: {},
      prometheus: {
        url: 'https://mimir.example.com/prometheus',
        bearerToken: 'secret-token',
        headers: { 'X-Scope-OrgID': 'prod' },
      },
    };
    for (const address of [
      'http://prometheus.istio-system:9090',
      'https://prometheus.example.com',
    ]) {
      expect(route(prometheus(address), configured)).toEqual({
        kind: 'configured',
        cluster: 'prod-eu-1',
        prometheus: configured.prometheus,
        // Never the credentials.
        source: 'configured https://mimir.example.com/prometheus',
      });
    }
  });

  it('refuses other providers, even with a configured URL', () => {
    expect(
      route(
        { type: 'datadog', address: 'https://api.datadoghq.eu' },
        { links: {}, prometheus: { url: 'http://x', headers: {} } },
      ),
    ).toEqual({
      refused:
        'provider type "datadog" is not supported: the plugin queries Prometheus only',
    });
  });

  it('keeps the Secret a MetricTemplate names, to explain a refusal', () => {
    expect(
      route(
        prometheus('http://prometheus.monitoring:9090', {
          secretRef: 'prom-auth',
        }),
      ),
    ).toMatchObject({ kind: 'proxy', secretRef: 'prom-auth' });
  });
});
