import { MINUTE, useDemoCluster } from './__testUtils__/demoCluster';

describe('Flagger promotion (virtual clock)', () => {
  const demo = useDemoCluster();

  it('steps a production canary 5 -> 10 -> 15 -> 20, waits at the promotion gate, promotes after /gate/open', async () => {
    const before = demo.canaryStatus('podinfo');
    expect(before.phase).toBe('Succeeded');
    const rv = demo.prod.cluster.store.resourceVersion;
    demo.prod.releaseRevision('tenant-a', 'podinfo', {
      image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
      successRate: 99.97,
      p99Ms: 170,
    });

    const trace: string[] = [];
    const record = () => {
      const s = demo.canaryStatus('podinfo');
      trace.push(
        `${s.phase} ${s.canaryWeight} ${demo.vsWeights('podinfo').join('/')}`,
      );
    };
    for (let i = 0; i < 7; i++) {
      await demo.advance(MINUTE);
      record();
    }
    expect(trace).toEqual([
      'Progressing 0 100/0',
      'Progressing 5 95/5',
      'Progressing 10 90/10',
      'Progressing 15 85/15',
      'Progressing 20 80/20',
      // Flagger resets status.canaryWeight outside Progressing; the VirtualService keeps the split.
      'WaitingPromotion 0 80/20',
      'WaitingPromotion 0 80/20',
    ]);
    const waiting = demo.canaryStatus('podinfo');
    expect(waiting.conditions).toEqual([
      expect.objectContaining({
        type: 'Promoted',
        status: 'Unknown',
        reason: 'WaitingPromotion',
        message: 'Waiting for approval.',
      }),
    ]);
    expect(waiting.lastAppliedSpec).not.toBe(waiting.lastPromotedSpec);

    // The gate is closed: /gate/check answers 403 through the service proxy.
    expect(await demo.loadtester('/gate/check', 'podinfo')).toEqual({
      status: 403,
      text: 'Forbidden',
    });
    expect((await demo.loadtester('/gate/open', 'podinfo')).status).toBe(202);
    expect(await demo.loadtester('/gate/check', 'podinfo')).toEqual({
      status: 200,
      text: 'Approved',
    });

    for (let i = 0; i < 3; i++) {
      await demo.advance(MINUTE);
      record();
    }
    expect(trace.slice(7)).toEqual([
      'Promoting 0 80/20',
      'Finalising 0 100/0',
      'Succeeded 0 100/0',
    ]);
    const done = demo.canaryStatus('podinfo');
    expect(done.lastPromotedSpec).toBe(done.lastAppliedSpec);
    expect(done.failedChecks).toBe(0);
    expect(done.conditions).toEqual([
      expect.objectContaining({
        type: 'Promoted',
        status: 'True',
        reason: 'Succeeded',
        message: 'Canary analysis completed successfully, promotion finished.',
      }),
    ]);
    expect(JSON.stringify(demo.deployment('podinfo-primary').spec)).toContain(
      'ghcr.io/stefanprodan/podinfo:6.7.1',
    );
    expect(demo.replicas('podinfo')).toBe(0);

    expect(demo.eventMessages('podinfo', rv)).toEqual([
      'Normal New revision detected! Scaling up podinfo.tenant-a',
      'Normal Rollback hook rollback-gate not signaling a rollback',
      'Normal Starting canary analysis for podinfo.tenant-a',
      'Normal Pre-rollout check acceptance-test passed',
      'Normal Advance podinfo.tenant-a canary weight 5',
      'Normal Advance podinfo.tenant-a canary weight 10',
      'Normal Advance podinfo.tenant-a canary weight 15',
      'Normal Advance podinfo.tenant-a canary weight 20',
      'Warning Halt podinfo.tenant-a advancement waiting for promotion approval promotion-gate',
      'Normal Confirm-promotion check promotion-gate passed',
      'Normal Copying podinfo.tenant-a template spec to podinfo-primary.tenant-a',
      'Normal Routing all traffic to primary',
      'Normal Post-rollout check close-promotion-gate passed',
      'Normal Post-rollout check close-rollback-gate passed',
      'Normal Promotion completed! Scaling down podinfo.tenant-a',
    ]);
    // The post-rollout hook closed the gate again for the next rollout.
    expect((await demo.loadtester('/gate/check', 'podinfo')).status).toBe(403);

    const metrics = await demo.metrics();
    expect(metrics).toContain(
      'flagger_canary_status{name="podinfo",namespace="tenant-a"} 1',
    );
    expect(metrics).toContain(
      'flagger_canary_weight{namespace="tenant-a",workload="podinfo-primary"} 100',
    );
    expect(metrics).toMatch(
      /istio_requests_total\{reporter="destination",[^}]*destination_workload="podinfo",destination_workload_namespace="tenant-a"[^}]*response_code="200"\} [1-9]\d*/,
    ); // What each check last measured (recorder.SetAnalysis; the duration in seconds).
    expect(metrics).toMatch(
      /flagger_canary_metric_analysis\{metric="request-success-rate",name="podinfo",namespace="tenant-a"\} 99\.9\d*/,
    );
    expect(metrics).toMatch(
      /flagger_canary_metric_analysis\{metric="request-duration",name="podinfo",namespace="tenant-a"\} 0\.1\d+/,
    );
    expect(metrics).toMatch(
      /flagger_canary_metric_analysis\{metric="error-rate",name="podinfo",namespace="tenant-a"\} 0\.0\d+/,
    );
  });
});
