import { MINUTE, useDemoCluster } from './__testUtils__/demoCluster';

describe('Flagger rollback (virtual clock)', () => {
  const demo = useDemoCluster();

  it('rolls a production canary back after threshold failed metric checks', async () => {
    const rv = demo.prod.cluster.store.resourceVersion;
    const primaryBefore = JSON.stringify(
      demo.deployment('frontend-primary').spec,
    );
    demo.prod.releaseRevision('tenant-a', 'frontend', {
      image: 'ghcr.io/example/frontend:2.4.0',
      successRate: 91.2,
      p99Ms: 230,
    });
    const failedChecks: number[] = [];
    for (let i = 0; i < 12; i++) {
      await demo.advance(MINUTE);
      const s = demo.canaryStatus('frontend');
      failedChecks.push(s.failedChecks ?? 0);
      expect(s.phase).toBe('Progressing');
      expect(demo.vsWeights('frontend')).toEqual(i === 0 ? [100, 0] : [95, 5]);
    }
    // New revision, weight 5, then one failed check per interval up to the threshold (10).
    expect(failedChecks).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    await demo.advance(MINUTE);
    const failed = demo.canaryStatus('frontend');
    expect(failed).toMatchObject({
      phase: 'Failed',
      canaryWeight: 0,
      failedChecks: 0,
    });
    expect(failed.conditions).toEqual([
      expect.objectContaining({
        type: 'Promoted',
        status: 'False',
        reason: 'Failed',
        message: 'Canary analysis failed, Deployment scaled to zero.',
      }),
    ]);
    expect(demo.vsWeights('frontend')).toEqual([100, 0]);
    expect(demo.replicas('frontend')).toBe(0);
    // The primary still runs the previous release.
    expect(JSON.stringify(demo.deployment('frontend-primary').spec)).toBe(
      primaryBefore,
    );

    const messages = demo.eventMessages('frontend', rv);
    expect(messages.slice(0, 4)).toEqual([
      'Normal New revision detected! Scaling up frontend.tenant-a',
      'Normal Starting canary analysis for frontend.tenant-a',
      'Normal Pre-rollout check acceptance-test passed',
      'Normal Advance frontend.tenant-a canary weight 5',
    ]);
    const halts = messages.filter(m => m.startsWith('Warning Halt'));
    expect(halts.length).toBeGreaterThan(0);
    for (const halt of halts) {
      expect(halt).toMatch(
        /^Warning Halt frontend\.tenant-a advancement success rate 9\d\.\d\d% < 99\.5%$/,
      );
    }
    expect(messages.slice(-2)).toEqual([
      'Warning Rolling back frontend.tenant-a failed checks threshold reached 10',
      'Warning Canary failed! Scaling down frontend.tenant-a',
    ]);

    expect(await demo.metrics()).toContain(
      'flagger_canary_status{name="frontend",namespace="tenant-a"} 2',
    );
  });

  it('rolls back when the rollback gate is opened', async () => {
    demo.prod.releaseRevision('tenant-a', 'podinfo', {
      image: 'ghcr.io/stefanprodan/podinfo:6.7.9',
    });
    await demo.advance(3 * MINUTE);
    expect(demo.canaryStatus('podinfo')).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 10,
    });
    const rv = demo.prod.cluster.store.resourceVersion;
    expect((await demo.loadtester('/rollback/open', 'podinfo')).status).toBe(
      202,
    );
    await demo.advance(MINUTE);
    expect(demo.canaryStatus('podinfo')).toMatchObject({
      phase: 'Failed',
      canaryWeight: 0,
    });
    expect(demo.vsWeights('podinfo')).toEqual([100, 0]);
    expect(demo.eventMessages('podinfo', rv)).toEqual([
      'Warning Rollback check rollback-gate passed',
      'Warning Rolling back podinfo.tenant-a manual webhook invoked',
      'Warning Canary failed! Scaling down podinfo.tenant-a',
      'Normal Post-rollout check close-promotion-gate passed',
      'Normal Post-rollout check close-rollback-gate passed',
    ]);
  });
});
