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
      },
      {
        name: 'dev',
        url: 'https://dev.example.com',
        authProvider: 'serviceAccount',
        serviceAccountToken: 'dev-token',
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: true,
      },
    ]);
    expect(config.kinds.map(k => k.kind)).toContain('Canary');
    expect(config.istioRootNamespace).toBe('istio-system');
    expect(config.backoff).toEqual({ initialMs: 500, maxMs: 30_000 });
    expect(config.history).toEqual({ retentionDays: 90 });
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

  it.each([
    [{ clusters: ['staging'] }, /unknown clusters: staging/],
    [{ kinds: ['Rollout'] }, /unsupported kinds: Rollout/],
    [{ history: { retentionDays: 0 } }, /retentionDays must be a positive/],
  ])('rejects %j', (progressiveDelivery, error) => {
    expect(() =>
      readProgressiveDeliveryConfig(
        new ConfigReader({ kubernetes, progressiveDelivery }),
      ),
    ).toThrow(error);
  });
});
