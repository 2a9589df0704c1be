import {
  CANARY_API,
  MINUTE,
  useDemoCluster,
} from './__testUtils__/demoCluster';

describe('Flagger gates (virtual clock)', () => {
  const demo = useDemoCluster();

  it('holds a rollout at confirm-rollout and each step at confirm-traffic-increase gates', async () => {
    const analysis = (
      demo.canary('frontend').spec as { analysis: { webhooks: unknown[] } }
    ).analysis;
    demo.prod.objects.patch(CANARY_API, 'Canary', 'tenant-a', 'frontend', {
      spec: {
        analysis: {
          webhooks: [
            ...analysis.webhooks,
            {
              name: 'rollout-gate',
              type: 'confirm-rollout',
              url: 'http://flagger-loadtester.tenant-a/gate/check',
            },
            {
              name: 'traffic-gate',
              type: 'confirm-traffic-increase',
              url: 'http://flagger-loadtester.tenant-a/gate/check',
            },
          ],
        },
      },
    });
    const rv = demo.prod.cluster.store.resourceVersion;
    demo.prod.releaseRevision('tenant-a', 'frontend', {
      image: 'ghcr.io/example/frontend:2.5.0',
    });
    await demo.advance(2 * MINUTE);
    expect(demo.canaryStatus('frontend')).toMatchObject({
      phase: 'Waiting',
      conditions: [
        expect.objectContaining({
          reason: 'Waiting',
          message: 'Waiting for approval.',
        }),
      ],
    });
    // One gate endpoint serves both webhooks: opening it lets the rollout start and step once.
    await demo.loadtester('/gate/open', 'frontend');
    await demo.advance(2 * MINUTE);
    expect(demo.canaryStatus('frontend')).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 5,
    });
    await demo.loadtester('/gate/close', 'frontend');
    await demo.advance(2 * MINUTE);
    expect(demo.canaryStatus('frontend')).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 5,
    });
    expect(demo.eventMessages('frontend', rv)).toEqual(
      expect.arrayContaining([
        'Warning Halt frontend.tenant-a advancement waiting for approval rollout-gate',
        'Normal Confirm-rollout check rollout-gate passed',
        'Normal Confirm-traffic-increase check traffic-gate passed',
        'Normal Advance frontend.tenant-a canary weight 5',
        'Warning Halt frontend.tenant-a advancement waiting for traffic increase approval traffic-gate',
      ]),
    );
  });
});
