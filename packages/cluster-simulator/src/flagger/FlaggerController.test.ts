import { ClusterHandle, Simulator, startSimulator } from '../Simulator';
import { KubeObject } from '../types';

const CANARY_API = 'flagger.app/v1beta1';
const MINUTE = 60_000;

interface CanaryView {
  phase?: string;
  canaryWeight?: number;
  failedChecks?: number;
  lastAppliedSpec?: string;
  lastPromotedSpec?: string;
  conditions?: Array<{
    type: string;
    status: string;
    reason: string;
    message: string;
  }>;
}

function canaryStatus(prod: ClusterHandle, name: string): CanaryView {
  return prod.objects.get(CANARY_API, 'Canary', 'tenant-a', name)!
    .status as CanaryView;
}

function vsWeights(prod: ClusterHandle, name: string): number[] {
  const vs = prod.objects.get(
    'networking.istio.io/v1beta1',
    'VirtualService',
    'tenant-a',
    name,
  )!;
  const http = (
    vs.spec as {
      http: Array<{
        route: Array<{ destination: { host: string }; weight: number }>;
      }>;
    }
  ).http;
  return http[0].route.map(r => r.weight);
}

/** When an event first occurred: its name ends in the hex nanoseconds of that moment. */
function firstSeen(e: KubeObject): bigint {
  return BigInt(`0x${e.metadata.name.split('.').pop()}`);
}

/**
 * Distinct messages of the canary's events since resourceVersion `since`, in
 * the order they first occurred (repeats only raise an event's count).
 */
function eventMessages(
  prod: ClusterHandle,
  name: string,
  since: number,
): string[] {
  return prod.objects
    .list('v1', 'Event', 'tenant-a')
    .filter(e => {
      const io = e.involvedObject as { kind: string; name: string };
      return io.kind === 'Canary' && io.name === name;
    })
    .filter(e => Number(e.metadata.resourceVersion) > since)
    .sort((a, b) => (firstSeen(a) < firstSeen(b) ? -1 : 1))
    .map(e => {
      expect(e).toMatchObject({
        reason: 'Synced',
        source: { component: 'flagger' },
      });
      return `${e.type} ${e.message}`;
    });
}

describe('FlaggerController (virtual clock)', () => {
  let sim: Simulator;
  let prod: ClusterHandle;

  beforeEach(async () => {
    sim = await startSimulator({ scenario: 'demo', http: true });
    prod = sim.cluster('prod-eu-1');
    // Let each canary's job reach its first (idle) tick.
    await sim.clock.advance(MINUTE);
  });

  afterEach(() => sim.stop());

  async function proxy(path: string, body: unknown) {
    const info = sim.clusters.find(c => c.name === 'prod-eu-1')!;
    const res = await fetch(
      `${info.url}/api/v1/namespaces/tenant-a/services/flagger-loadtester:80/proxy${path}`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${info.token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      },
    );
    return { status: res.status, text: await res.text() };
  }

  it('steps a production canary 5 -> 10 -> 15 -> 20, waits at the promotion gate, promotes after /gate/open', async () => {
    const before = canaryStatus(prod, 'podinfo');
    expect(before.phase).toBe('Succeeded');
    const rv = prod.cluster.store.resourceVersion;
    prod.releaseRevision('tenant-a', 'podinfo', {
      image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
      successRate: 99.97,
      p99Ms: 170,
    });

    const trace: string[] = [];
    const record = () => {
      const s = canaryStatus(prod, 'podinfo');
      trace.push(
        `${s.phase} ${s.canaryWeight} ${vsWeights(prod, 'podinfo').join('/')}`,
      );
    };
    for (let i = 0; i < 7; i++) {
      await sim.clock.advance(MINUTE);
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
    const waiting = canaryStatus(prod, 'podinfo');
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
    expect(
      await proxy('/gate/check', { name: 'podinfo', namespace: 'tenant-a' }),
    ).toEqual({
      status: 403,
      text: 'Forbidden',
    });
    expect(
      (await proxy('/gate/open', { name: 'podinfo', namespace: 'tenant-a' }))
        .status,
    ).toBe(202);
    expect(
      await proxy('/gate/check', { name: 'podinfo', namespace: 'tenant-a' }),
    ).toEqual({
      status: 200,
      text: 'Approved',
    });

    for (let i = 0; i < 3; i++) {
      await sim.clock.advance(MINUTE);
      record();
    }
    expect(trace.slice(7)).toEqual([
      'Promoting 0 80/20',
      'Finalising 0 100/0',
      'Succeeded 0 100/0',
    ]);
    const done = canaryStatus(prod, 'podinfo');
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
    const primary = prod.objects.get(
      'apps/v1',
      'Deployment',
      'tenant-a',
      'podinfo-primary',
    )!;
    expect(JSON.stringify(primary.spec)).toContain(
      'ghcr.io/stefanprodan/podinfo:6.7.1',
    );
    const target = prod.objects.get(
      'apps/v1',
      'Deployment',
      'tenant-a',
      'podinfo',
    )!;
    expect((target.spec as { replicas: number }).replicas).toBe(0);

    expect(eventMessages(prod, 'podinfo', rv)).toEqual([
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
    expect(
      (await proxy('/gate/check', { name: 'podinfo', namespace: 'tenant-a' }))
        .status,
    ).toBe(403);

    const metrics = await (
      await fetch(`${sim.clusters[0].url}/metrics`)
    ).text();
    expect(metrics).toContain(
      'flagger_canary_status{name="podinfo",namespace="tenant-a"} 1',
    );
    expect(metrics).toContain(
      'flagger_canary_weight{namespace="tenant-a",workload="podinfo-primary"} 100',
    );
    expect(metrics).toMatch(
      /istio_requests_total\{reporter="destination",[^}]*destination_workload="podinfo",destination_workload_namespace="tenant-a"[^}]*response_code="200"\} [1-9]\d*/,
    );
  });

  it('rolls a production canary back after threshold failed metric checks', async () => {
    const rv = prod.cluster.store.resourceVersion;
    const primaryBefore = JSON.stringify(
      prod.objects.get('apps/v1', 'Deployment', 'tenant-a', 'frontend-primary')!
        .spec,
    );
    prod.releaseRevision('tenant-a', 'frontend', {
      image: 'ghcr.io/example/frontend:2.4.0',
      successRate: 91.2,
      p99Ms: 230,
    });
    const failedChecks: number[] = [];
    for (let i = 0; i < 12; i++) {
      await sim.clock.advance(MINUTE);
      const s = canaryStatus(prod, 'frontend');
      failedChecks.push(s.failedChecks ?? 0);
      expect(s.phase).toBe('Progressing');
      expect(vsWeights(prod, 'frontend')).toEqual(i === 0 ? [100, 0] : [95, 5]);
    }
    // New revision, weight 5, then one failed check per interval up to the threshold (10).
    expect(failedChecks).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    await sim.clock.advance(MINUTE);
    const failed = canaryStatus(prod, 'frontend');
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
    expect(vsWeights(prod, 'frontend')).toEqual([100, 0]);
    const target = prod.objects.get(
      'apps/v1',
      'Deployment',
      'tenant-a',
      'frontend',
    )!;
    expect((target.spec as { replicas: number }).replicas).toBe(0);
    // The primary still runs the previous release.
    expect(
      JSON.stringify(
        prod.objects.get(
          'apps/v1',
          'Deployment',
          'tenant-a',
          'frontend-primary',
        )!.spec,
      ),
    ).toBe(primaryBefore);

    const messages = eventMessages(prod, 'frontend', rv);
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

    const metrics = await (
      await fetch(`${sim.clusters[0].url}/metrics`)
    ).text();
    expect(metrics).toContain(
      'flagger_canary_status{name="frontend",namespace="tenant-a"} 2',
    );
  });

  it('rolls back when the rollback gate is opened', async () => {
    prod.releaseRevision('tenant-a', 'podinfo', {
      image: 'ghcr.io/stefanprodan/podinfo:6.7.9',
    });
    await sim.clock.advance(3 * MINUTE);
    expect(canaryStatus(prod, 'podinfo')).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 10,
    });
    const rv = prod.cluster.store.resourceVersion;
    expect(
      (
        await proxy('/rollback/open', {
          name: 'podinfo',
          namespace: 'tenant-a',
        })
      ).status,
    ).toBe(202);
    await sim.clock.advance(MINUTE);
    expect(canaryStatus(prod, 'podinfo')).toMatchObject({
      phase: 'Failed',
      canaryWeight: 0,
    });
    expect(vsWeights(prod, 'podinfo')).toEqual([100, 0]);
    expect(eventMessages(prod, 'podinfo', rv)).toEqual([
      'Warning Rollback check rollback-gate passed',
      'Warning Rolling back podinfo.tenant-a manual webhook invoked',
      'Warning Canary failed! Scaling down podinfo.tenant-a',
      'Normal Post-rollout check close-promotion-gate passed',
      'Normal Post-rollout check close-rollback-gate passed',
    ]);
  });

  it('initialises a new canary: primary, services, VirtualService, DestinationRules', async () => {
    const app = prod.objects.get(
      'apps/v1',
      'Deployment',
      'tenant-a',
      'podinfo',
    )!;
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
    const canary = prod.objects.get(
      CANARY_API,
      'Canary',
      'tenant-a',
      'podinfo',
    )!;
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
    await sim.clock.advance(0);
    expect(canaryStatus(prod, 'search')).toMatchObject({
      phase: 'Initializing',
      conditions: [
        expect.objectContaining({
          reason: 'Initializing',
          message: 'New Deployment detected, starting initialization.',
        }),
      ],
    });
    await sim.clock.advance(MINUTE);
    expect(canaryStatus(prod, 'search')).toMatchObject({
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
    expect(vsWeights(prod, 'search')).toEqual([100, 0]);
    expect(
      (
        prod.objects.get('apps/v1', 'Deployment', 'tenant-a', 'search')!
          .spec as { replicas: number }
      ).replicas,
    ).toBe(0);
    expect(eventMessages(prod, 'search', 0)).toEqual([
      'Normal all the metrics providers are available!',
      // The primary was created in the same run, before its controller observed it.
      'Warning search-primary.tenant-a not ready: waiting for rollout to finish: observed deployment generation less than desired generation',
      'Normal Initialization done! search.tenant-a',
    ]);
  });

  it('tracks ConfigMaps: a changed config is a new revision, the primary reads a copy', async () => {
    const status = canaryStatus(prod, 'podinfo') as CanaryView & {
      trackedConfigs?: Record<string, string>;
    };
    expect(Object.keys(status.trackedConfigs ?? {})).toEqual([
      'configmap/podinfo-config',
    ]);
    expect(status.trackedConfigs!['configmap/podinfo-config']).toMatch(
      /^[0-9a-f]{16}$/,
    );
    const primary = prod.objects.get(
      'apps/v1',
      'Deployment',
      'tenant-a',
      'podinfo-primary',
    )!;
    expect(JSON.stringify(primary.spec)).toContain(
      '"configMapRef":{"name":"podinfo-config-primary"}',
    );
    expect(
      prod.objects.get('v1', 'ConfigMap', 'tenant-a', 'podinfo-config-primary')!
        .data,
    ).toMatchObject({ PODINFO_UI_MESSAGE: 'Hello from tenant-a' });

    prod.objects.patch('v1', 'ConfigMap', 'tenant-a', 'podinfo-config', {
      data: { PODINFO_UI_MESSAGE: 'Hello again' },
    });
    await sim.clock.advance(MINUTE);
    const progressing = canaryStatus(prod, 'podinfo') as typeof status;
    expect(progressing.phase).toBe('Progressing');
    expect(progressing.trackedConfigs!['configmap/podinfo-config']).not.toBe(
      status.trackedConfigs!['configmap/podinfo-config'],
    );
  });

  it('holds a rollout at confirm-rollout and each step at confirm-traffic-increase gates', async () => {
    const canary = prod.objects.get(
      CANARY_API,
      'Canary',
      'tenant-a',
      'frontend',
    )!;
    const analysis = (canary.spec as { analysis: { webhooks: unknown[] } })
      .analysis;
    prod.objects.patch(CANARY_API, 'Canary', 'tenant-a', 'frontend', {
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
    const rv = prod.cluster.store.resourceVersion;
    prod.releaseRevision('tenant-a', 'frontend', {
      image: 'ghcr.io/example/frontend:2.5.0',
    });
    await sim.clock.advance(2 * MINUTE);
    expect(canaryStatus(prod, 'frontend')).toMatchObject({
      phase: 'Waiting',
      conditions: [
        expect.objectContaining({
          reason: 'Waiting',
          message: 'Waiting for approval.',
        }),
      ],
    });
    // One gate endpoint serves both webhooks: opening it lets the rollout start and step once.
    await proxy('/gate/open', { name: 'frontend', namespace: 'tenant-a' });
    await sim.clock.advance(2 * MINUTE);
    expect(canaryStatus(prod, 'frontend')).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 5,
    });
    await proxy('/gate/close', { name: 'frontend', namespace: 'tenant-a' });
    await sim.clock.advance(2 * MINUTE);
    expect(canaryStatus(prod, 'frontend')).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 5,
    });
    expect(eventMessages(prod, 'frontend', rv)).toEqual(
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
