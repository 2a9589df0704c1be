// deriveCanaryProgress against the upstream fixtures (src/__fixtures__/upstream, each file's
// header gives the expected reading asserted here). The routed weights come from
// deriveIstioRouting on the fixture's router object, as the backend passes them.
import { loadUpstream, pick, pickAll } from '../__testUtils__/fixtures';
import {
  deriveCanaryProgress,
  DeriveCanaryProgressOptions,
} from './canaryProgress';
import { deriveIstioRouting } from './istioRouting';

function progressOf(file: string, options: DeriveCanaryProgressOptions = {}) {
  const docs = loadUpstream(file);
  const canary = pick(docs, 'Canary');
  const routing = deriveIstioRouting({
    canary,
    virtualService: docs.find(d => d.kind === 'VirtualService'),
    httpRoutes: pickAll(docs, 'HTTPRoute'),
  });
  return deriveCanaryProgress(canary, {
    routedWeights: routing.router
      ? { primary: routing.primaryWeight, canary: routing.canaryWeight }
      : undefined,
    mirrored: routing.mirrored,
    ...options,
  });
}

const current = (progress: ReturnType<typeof deriveCanaryProgress>) =>
  progress.steps[progress.currentStepIndex]?.label;

describe('deriveCanaryProgress on upstream fixtures', () => {
  it('gatewayapi progressing: 80/20 from the HTTPRoute, step 2 of 5', () => {
    const progress = progressOf('gatewayapi-canary-progressing.yaml');
    expect(progress).toMatchObject({
      phase: 'Progressing',
      strategy: 'canary',
      primaryWeight: 80,
      canaryWeight: 20,
      weightSource: 'routing',
      provider: undefined,
    });
    expect(progress.steps.map(s => s.label)).toEqual([
      '0%',
      '10%',
      '20%',
      '30%',
      '40%',
      '50%',
      'promote',
    ]);
    expect(current(progress)).toBe('20%');
  });

  it('gatewayapi waiting for promotion: 50/50 from the HTTPRoute, no iteration -1', () => {
    const progress = progressOf('gatewayapi-canary-waiting-promotion.yaml');
    expect(progress).toMatchObject({
      phase: 'WaitingPromotion',
      activity: 'waiting',
      primaryWeight: 50,
      canaryWeight: 50,
      weightSource: 'routing',
    });
    expect(progress.iterations).toBeUndefined();
    expect(current(progress)).toBe('promote');
    expect(progress.gates.filter(g => g.waiting)).toMatchObject([
      {
        name: 'promotion gate',
        type: 'confirm-promotion',
        url: 'http://flagger-loadtester.test/gate/halt',
      },
    ]);
  });

  it('gatewayapi A/B testing: iteration 4 of 10, no split from status', () => {
    const progress = progressOf('gatewayapi-ab-testing.yaml');
    expect(progress).toMatchObject({
      strategy: 'abTesting',
      iterations: { current: 4, total: 10 },
      primaryWeight: 100,
      canaryWeight: 0,
      weightSource: 'routing',
      phaseDescription:
        'A new revision is under A/B testing: requests that meet the match conditions go to the canary, all others stay on the primary.',
    });
    expect(current(progress)).toBe('4/10');
  });

  it('gatewayapi session affinity: 90/10 from the weighted rule', () => {
    const progress = progressOf('gatewayapi-session-affinity.yaml');
    expect([progress.primaryWeight, progress.canaryWeight]).toEqual([90, 10]);
    expect(current(progress)).toBe('10%');
  });

  it('Linkerd through gatewayapi:v1beta1: 70/30 from the HTTPRoute', () => {
    const progress = progressOf('flagger-linkerd-canary.yaml');
    expect(progress).toMatchObject({
      primaryWeight: 70,
      canaryWeight: 30,
      weightSource: 'routing',
    });
  });

  it('Istio TCP: 80/20 from spec.tcp', () => {
    const progress = progressOf('istio-tcp-route.yaml');
    expect(progress).toMatchObject({
      primaryWeight: 80,
      canaryWeight: 20,
      weightSource: 'routing',
    });
  });

  it('Istio blue/green with mirroring: iteration 3 of 10, live traffic on the primary', () => {
    const progress = progressOf('istio-mirroring.yaml');
    expect(progress).toMatchObject({
      strategy: 'blueGreen',
      mirroring: true,
      iterations: { current: 3, total: 10 },
      primaryWeight: 100,
      canaryWeight: 0,
      phaseDescription:
        'A new revision is under blue/green analysis: live traffic stays on the primary and is mirrored to the canary.',
    });
    expect(current(progress)).toBe('3/10');
  });

  it('Istio blue/green after the last iteration: 5 of 5 (status says 6), all traffic on the canary', () => {
    const progress = progressOf('istio-bluegreen-last-iteration.yaml');
    expect(progress).toMatchObject({
      strategy: 'blueGreen',
      iterations: { current: 5, total: 5 },
      primaryWeight: 0,
      canaryWeight: 100,
      weightSource: 'routing',
      phaseDescription:
        'All iterations passed: all traffic is on the canary until it is promoted.',
    });
    expect(current(progress)).toBe('100%');
  });

  it('Istio failed promotion: Failed with all traffic left on the canary, not rolled back', () => {
    const progress = progressOf('istio-failed-promotion.yaml');
    expect(progress).toMatchObject({
      phase: 'Failed',
      activity: 'failed',
      primaryWeight: 0,
      canaryWeight: 100,
      phaseDescription:
        'Promotion failed: the primary did not become ready, so the canary still serves 100% of traffic (not rolled back).',
    });
    expect(progress.phaseDescription).not.toMatch(/rolled back\.$/);
  });

  it('DaemonSet with provider kubernetes: blue/green iteration 2 of 5, weights from status', () => {
    const progress = progressOf('flagger-daemonset-canary.yaml', {
      // A router's weights are ignored for a provider whose router is not read.
      routedWeights: { primary: 0, canary: 100 },
    });
    expect(progress).toMatchObject({
      provider: 'kubernetes',
      strategy: 'blueGreen',
      iterations: { current: 2, total: 5 },
      weightSource: 'status',
      canaryWeight: 0,
      primaryWeight: 100,
    });
    expect(progress.gates).toMatchObject([
      { name: 'gate', type: 'confirm-rollout', waiting: false },
    ]);
  });

  it('NGINX: no router object is read, the split is the status (80/20)', () => {
    const progress = progressOf('flagger-nginx-canary.yaml');
    expect(progress).toMatchObject({
      weightSource: 'status',
      primaryWeight: 80,
      canaryWeight: 20,
    });
  });
});

describe('deriveCanaryProgress: MetricTemplates and AlertProviders', () => {
  const docs = loadUpstream('flagger-metrictemplate-alertprovider-refs.yaml');
  const canary = pick(docs, 'Canary');
  const progress = deriveCanaryProgress(canary, {
    metricTemplates: pickAll(docs, 'MetricTemplate'),
    alertProviders: pickAll(docs, 'AlertProvider'),
  });

  it('resolves each templateRef, the namespace defaulting to the canary', () => {
    expect(
      progress.metrics.map(m => [
        m.name,
        m.template?.found,
        m.template?.provider,
        m.template?.address,
      ]),
    ).toEqual([
      ['request-success-rate', undefined, undefined, undefined],
      [
        '404s percentage',
        true,
        'prometheus',
        'http://prometheus.istio-system:9090',
      ],
      ['my metric', true, 'prometheus', 'http://prometheus.linkerd-viz:9090'],
      ['404s (canary namespace)', false, undefined, undefined],
    ]);
    expect(progress.metrics[1].thresholdRange).toEqual({
      min: undefined,
      max: 5,
    });
    expect(progress.metrics[2].thresholdRange).toEqual({ min: 10, max: 1000 });
    expect(progress.metrics[2].template?.query).toContain(
      'direction="{{ variables.direction }}"',
    );
  });

  it('resolves each providerRef and never exposes its address or secret', () => {
    expect(progress.alerts).toEqual([
      {
        name: 'on-call Slack',
        severity: 'error',
        providerRef: { name: 'on-call', namespace: 'flagger' },
        provider: {
          type: 'slack',
          channel: 'on-call-alerts',
          username: 'flagger',
        },
      },
      {
        name: 'qa Discord',
        severity: 'warn',
        providerRef: { name: 'qa-discord', namespace: 'test' },
      },
      {
        name: 'dev MS Teams',
        severity: 'info',
        providerRef: { name: 'dev-msteams', namespace: 'test' },
        provider: { type: 'msteams', channel: undefined, username: undefined },
      },
    ]);
    const text = JSON.stringify(progress);
    expect(text).not.toContain('hooks.slack.com');
    expect(text).not.toContain('webhook.office.com');
    expect(text).not.toContain('on-call-url');
  });

  it('leaves templates and providers unresolved when none are passed', () => {
    const bare = deriveCanaryProgress(canary);
    expect(bare.metrics.every(m => m.template === undefined)).toBe(true);
    expect(bare.alerts.map(a => a.provider)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('resolves the Linkerd templates of namespace linkerd', () => {
    const linkerd = loadUpstream('flagger-linkerd-canary.yaml');
    const resolved = deriveCanaryProgress(pick(linkerd, 'Canary'), {
      metricTemplates: pickAll(linkerd, 'MetricTemplate'),
    });
    expect(
      resolved.metrics.map(m => [m.name, m.template?.found, m.thresholdRange]),
    ).toEqual([
      ['success-rate', true, { min: 99, max: undefined }],
      ['latency', true, { max: 300 }],
    ]);
  });
});
