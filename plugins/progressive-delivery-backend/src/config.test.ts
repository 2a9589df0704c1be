import { ConfigReader } from '@backstage/config';
import { readProgressiveDeliveryConfig } from './config';

const kubernetes = {
  clusterLocatorMethods: [
    { type: 'gke', projectId: 'x' },
    {
      type: 'config',
      clusters: [
        {
          name: 'prod',
          url: 'https://prod.example.com/',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'token',
          caData: 'Q0E=',
        },
        {
          name: 'dev',
          url: 'https://dev.example.com',
          authMetadata: {
            'kubernetes.io/auth-provider': 'serviceAccount',
            serviceAccountToken: 'dev-token',
          },
          skipTLSVerify: true,
        },
      ],
    },
  ],
};

describe('readProgressiveDeliveryConfig', () => {
  it('reads the Kubernetes plugin clusters and defaults', () => {
    const config = readProgressiveDeliveryConfig(
      new ConfigReader({ kubernetes }),
    );
    expect(config.clusters).toEqual([
      {
        name: 'prod',
        url: 'https://prod.example.com',
        authProvider: 'serviceAccount',
        serviceAccountToken: 'token',
        caData: 'Q0E=',
        caFile: undefined,
        skipTLSVerify: false,
        title: undefined,
        source: 'config',
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'token',
        },
      },
      {
        name: 'dev',
        url: 'https://dev.example.com',
        authProvider: 'serviceAccount',
        serviceAccountToken: 'dev-token',
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: true,
        title: undefined,
        source: 'config',
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'dev-token',
        },
      },
    ]);
    // The gke locator is not supported: an entry in error says so.
    expect(config.clusterSources.unsupported).toEqual([
      expect.objectContaining({ name: 'gke:x', source: 'gke' }),
    ]);
    expect(config.kinds.map(k => k.kind)).toContain('Canary');
    expect(config.istioRootNamespace).toBe('istio-system');
    expect(config.backoff).toEqual({ initialMs: 500, maxMs: 30_000 });
    expect(config.history).toEqual({ retentionDays: 90 });
    expect(config.listConcurrency).toBe(4);
  });

  it('reads the history retention', () => {
    const config = readProgressiveDeliveryConfig(
      new ConfigReader({
        kubernetes,
        progressiveDelivery: { history: { retentionDays: 14 } },
      }),
    );
    expect(config.history.retentionDays).toBe(14);
  });

  it('narrows clusters and kinds', () => {
    const config = readProgressiveDeliveryConfig(
      new ConfigReader({
        kubernetes,
        progressiveDelivery: { clusters: ['dev'], kinds: ['Canary', 'Event'] },
      }),
    );
    expect(config.clusters.map(c => c.name)).toEqual(['dev']);
    expect(config.kinds.map(k => k.kind)).toEqual(['Canary', 'Event']);
  });

  it('defaults the analysis', () => {
    const config = readProgressiveDeliveryConfig(
      new ConfigReader({ kubernetes }),
    );
    expect(config.analysis).toEqual({
      enabled: true,
      timeoutMs: 10_000,
      flaggerNamespace: 'istio-system',
      maxPoints: 240,
      clusters: {},
    });
  });

  it('times Prometheus calls out with the one cluster-call timeout unless analysis sets its own', () => {
    const read = (progressiveDelivery: object) =>
      readProgressiveDeliveryConfig(
        new ConfigReader({ kubernetes, progressiveDelivery }),
      );
    expect(read({ clusterCallTimeoutMs: 3000 }).analysis.timeoutMs).toBe(3000);
    expect(
      read({ clusterCallTimeoutMs: 3000, analysis: { timeoutMs: 7000 } })
        .analysis.timeoutMs,
    ).toBe(7000);
  });

  it('reads the analysis per cluster', () => {
    const config = readProgressiveDeliveryConfig(
      new ConfigReader({
        kubernetes,
        progressiveDelivery: {
          analysis: {
            timeoutMs: 5000,
            flaggerNamespace: 'flagger-system',
            clusters: {
              prod: {
                metricsServer: 'http://prometheus.istio-system:9090',
                meshProvider: 'istio',
                links: {
                  grafana:
                    'http://grafana/d/flagger-istio?var-namespace={{namespace}}&var-primary={{primary}}&var-canary={{target}}',
                },
              },
              dev: {
                prometheus: {
                  url: 'https://mimir.example.com/prometheus/',
                  basicAuth: { username: 'u', password: 'p' },
                  headers: { 'X-Scope-OrgID': 'dev' },
                },
              },
            },
          },
        },
      }),
    );
    expect(config.analysis).toEqual({
      enabled: true,
      timeoutMs: 5000,
      flaggerNamespace: 'flagger-system',
      maxPoints: 240,
      clusters: {
        prod: {
          metricsServer: 'http://prometheus.istio-system:9090',
          meshProvider: 'istio',
          links: {
            grafana:
              'http://grafana/d/flagger-istio?var-namespace={{namespace}}&var-primary={{primary}}&var-canary={{target}}',
          },
        },
        dev: {
          prometheus: {
            url: 'https://mimir.example.com/prometheus',
            basicAuth: { username: 'u', password: 'p' },
            headers: { 'X-Scope-OrgID': 'dev' },
          },
          links: {},
        },
      },
    });
  });

  it('takes analysis settings for a cluster the catalog locator may declare later', () => {
    const config = readProgressiveDeliveryConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            ...kubernetes.clusterLocatorMethods,
            { type: 'catalog' },
          ],
        },
        progressiveDelivery: {
          analysis: {
            clusters: { 'eks-1': { prometheus: { url: 'http://amp:9090' } } },
          },
        },
      }),
    );
    expect(config.analysis.clusters['eks-1'].prometheus?.url).toBe(
      'http://amp:9090',
    );
  });

  it.each([
    [
      { analysis: { clusters: { staging: {} } } },
      /progressiveDelivery.analysis.clusters names clusters that are not watched: staging; watched: prod, dev/,
    ],
    [
      { analysis: { timeoutMs: 0 } },
      /progressiveDelivery.analysis.timeoutMs must be a positive number, got 0/,
    ],
    [
      { analysis: { maxPoints: 2.5 } },
      /progressiveDelivery.analysis.maxPoints must be a positive integer/,
    ],
    [
      { analysis: { flaggerNamespace: 'Istio_System' } },
      /progressiveDelivery.analysis.flaggerNamespace must be a namespace name/,
    ],
    [
      {
        analysis: { clusters: { prod: { metricsServer: 'prometheus:9090' } } },
      },
      /progressiveDelivery.analysis.clusters.prod.metricsServer must be an http\(s\) URL, got "prometheus:9090"/,
    ],
    [
      { analysis: { clusters: { prod: { prometheus: { url: 'ftp://x' } } } } },
      /progressiveDelivery.analysis.clusters.prod.prometheus.url must be an http\(s\) URL/,
    ],
    [
      { analysis: { clusters: { prod: { prometheus: {} } } } },
      /progressiveDelivery.analysis.clusters.prod.prometheus.url/,
    ],
    [
      {
        analysis: {
          clusters: { prod: { prometheus: { url: 'http://u:p@thanos:9090' } } },
        },
      },
      /prometheus.url must not carry credentials; use progressiveDelivery.analysis.clusters.prod.prometheus.basicAuth/,
    ],
    [
      {
        analysis: {
          clusters: {
            prod: {
              prometheus: {
                url: 'http://thanos:9090',
                bearerToken: 't',
                basicAuth: { username: 'u', password: 'p' },
              },
            },
          },
        },
      },
      /progressiveDelivery.analysis.clusters.prod.prometheus: set bearerToken or basicAuth, not both/,
    ],
    [
      {
        analysis: {
          clusters: {
            prod: {
              prometheus: { url: 'http://t', basicAuth: { username: 'u' } },
            },
          },
        },
      },
      /progressiveDelivery.analysis.clusters.prod.prometheus.basicAuth.password/,
    ],
    [
      {
        analysis: {
          clusters: { prod: { links: { grafana: 'http://g/{{deployment}}' } } },
        },
      },
      /progressiveDelivery.analysis.clusters.prod.links.grafana uses unknown placeholders {{deployment}}/,
    ],
    [
      { analysis: { clusters: { prod: { links: { argo: 'http://a' } } } } },
      /progressiveDelivery.analysis.clusters.prod.links.argo is not a link kind; known: grafana, kiali/,
    ],
  ])('rejects the analysis %j', (progressiveDelivery, error) => {
    expect(() =>
      readProgressiveDeliveryConfig(
        new ConfigReader({ kubernetes, progressiveDelivery }),
      ),
    ).toThrow(error);
  });

  it.each([
    [{ clusters: ['staging'] }, /unknown clusters: staging/],
    [{ kinds: ['Rollout'] }, /unsupported kinds: Rollout/],
    [{ history: { retentionDays: 0 } }, /retentionDays must be a positive/],
    [{ listConcurrency: 0.5 }, /listConcurrency must be a whole number/],
  ])('rejects %j', (progressiveDelivery, error) => {
    expect(() =>
      readProgressiveDeliveryConfig(
        new ConfigReader({ kubernetes, progressiveDelivery }),
      ),
    ).toThrow(error);
  });
});
