import { MINUTE, useDemoCluster } from './__testUtils__/demoCluster';

describe('Flagger initialization (virtual clock)', () => {
  const demo = useDemoCluster();

  it('initialises a new canary: primary, services, VirtualService, DestinationRules', async () => {
    const { prod } = demo;
    const app = demo.deployment('podinfo');
    prod.objects.create({
      ...app,
      metadata: {
        name: 'search',
        namespace: 'tenant-a',
        labels: { app: 'search' },
      },
      spec: {
        ...(app.spec as object),
        replicas: 1,
        selector: { matchLabels: { app: 'search' } },
        template: {
          ...(app.spec as { template: object }).template,
          metadata: { labels: { app: 'search' } },
        },
      },
    });
    const canary = demo.canary('podinfo');
    const { status: _s, ...rest } = canary;
    prod.objects.create({
      ...rest,
      metadata: { name: 'search', namespace: 'tenant-a' },
      spec: {
        ...(canary.spec as object),
        targetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'search',
        },
        service: { port: 8080 },
      },
    });
    await demo.advance(0);
    expect(demo.canaryStatus('search')).toMatchObject({
      phase: 'Initializing',
      conditions: [
        expect.objectContaining({
          reason: 'Initializing',
          message: 'New Deployment detected, starting initialization.',
        }),
      ],
    });
    await demo.advance(MINUTE);
    expect(demo.canaryStatus('search')).toMatchObject({
      phase: 'Initialized',
    });
    const names = (kind: string, apiVersion: string) =>
      prod.objects
        .list(apiVersion, kind, 'tenant-a')
        .filter(o => o.metadata.ownerReferences?.[0]?.name === 'search')
        .map(o => o.metadata.name)
        .sort();
    expect(names('Service', 'v1')).toEqual([
      'search',
      'search-canary',
      'search-primary',
    ]);
    expect(names('DestinationRule', 'networking.istio.io/v1beta1')).toEqual([
      'search-canary',
      'search-primary',
    ]);
    expect(demo.vsWeights('search')).toEqual([100, 0]);
    expect(demo.replicas('search')).toBe(0);
    expect(demo.eventMessages('search', 0)).toEqual([
      'Normal all the metrics providers are available!',
      // The primary was created in the same run, before its controller observed it.
      'Warning search-primary.tenant-a not ready: waiting for rollout to finish: observed deployment generation less than desired generation',
      'Normal Initialization done! search.tenant-a',
    ]);
  });

  it('tracks ConfigMaps: a changed config is a new revision, the primary reads a copy', async () => {
    const status = demo.canaryStatus('podinfo');
    expect(Object.keys(status.trackedConfigs ?? {})).toEqual([
      'configmap/podinfo-config',
    ]);
    expect(status.trackedConfigs!['configmap/podinfo-config']).toMatch(
      /^[0-9a-f]{16}$/,
    );
    expect(JSON.stringify(demo.deployment('podinfo-primary').spec)).toContain(
      '"configMapRef":{"name":"podinfo-config-primary"}',
    );
    expect(
      demo.prod.objects.get(
        'v1',
        'ConfigMap',
        'tenant-a',
        'podinfo-config-primary',
      )!.data,
    ).toMatchObject({ PODINFO_UI_MESSAGE: 'Hello from tenant-a' });

    demo.prod.objects.patch('v1', 'ConfigMap', 'tenant-a', 'podinfo-config', {
      data: { PODINFO_UI_MESSAGE: 'Hello again' },
    });
    await demo.advance(MINUTE);
    const progressing = demo.canaryStatus('podinfo');
    expect(progressing.phase).toBe('Progressing');
    expect(progressing.trackedConfigs!['configmap/podinfo-config']).not.toBe(
      status.trackedConfigs!['configmap/podinfo-config'],
    );
  });
});
