import { backendConfig, BackendConfigOptions } from './backendConfig';

const base: BackendConfigOptions = {
  target: 'peer',
  port: 7123,
  token: 'bench-token-0123456789',
  clusters: [{ name: 'scale-01', url: 'https://127.0.0.1:40001' }],
  clusterToken: 'simulator-token',
  caFile: '/tmp/ca.crt',
  entities: 2000,
};

describe('backendConfig', () => {
  it('configures the peer the way a user adds Flagger, Flux and Istio kinds', () => {
    const config = backendConfig(base) as any;
    expect(config.backend).toMatchObject({
      baseUrl: 'http://127.0.0.1:7123',
      listen: { port: 7123 },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: 'bench-token-0123456789' } },
        ],
      },
    });
    expect(config.kubernetes.clusterLocatorMethods[0].clusters).toEqual([
      expect.objectContaining({
        name: 'scale-01',
        url: 'https://127.0.0.1:40001',
        serviceAccountToken: 'simulator-token',
        caFile: '/tmp/ca.crt',
      }),
    ]);
    expect(
      config.kubernetes.customResources.map(
        (c: any) => `${c.plural}.${c.group}`,
      ),
    ).toEqual([
      'canaries.flagger.app',
      'kustomizations.kustomize.toolkit.fluxcd.io',
      'virtualservices.networking.istio.io',
    ]);
    expect(config.bench.entities).toBe(2000);
  });

  it('gives ours the same clusters without custom resources', () => {
    const config = backendConfig({ ...base, target: 'ours' }) as any;
    expect(config.kubernetes.clusterLocatorMethods[0].clusters).toHaveLength(1);
    expect(config.kubernetes.customResources).toBeUndefined();
    expect(config.permission).toEqual({ enabled: true });
  });

  it('adds a static token per simulated stream user, each its own subject', () => {
    const config = backendConfig({
      ...base,
      target: 'ours',
      viewerTokens: [
        'bench-stream-viewer-token-01',
        'bench-stream-viewer-token-02',
      ],
    }) as any;
    expect(config.backend.auth.externalAccess).toEqual([
      {
        type: 'static',
        options: {
          token: 'bench-token-0123456789',
          subject: 'bench-load-generator',
        },
      },
      {
        type: 'static',
        options: {
          token: 'bench-stream-viewer-token-01',
          subject: 'bench-stream-viewer-01',
        },
      },
      {
        type: 'static',
        options: {
          token: 'bench-stream-viewer-token-02',
          subject: 'bench-stream-viewer-02',
        },
      },
    ]);
  });

  it('gives the ceiling the same catalog and permissions but no clusters', () => {
    const config = backendConfig({
      ...base,
      target: 'ceiling',
      ceilingBodyFile: '/tmp/body.json',
    }) as any;
    expect(config.kubernetes).toBeUndefined();
    expect(config.catalog.rules).toEqual([{ allow: ['Component'] }]);
    expect(config.permission).toEqual({ enabled: true });
    expect(config.bench.ceilingBodyFile).toBe('/tmp/body.json');
  });
});
