// Gateway API routers, read against the upstream fixtures (src/__fixtures__/upstream, each
// file's header gives the expected reading asserted here).
import { KubeObject } from '../../kubernetes';
import { clone, loadUpstream, pick } from '../../__testUtils__/fixtures';
import { deriveIstioRouting } from '../istioRouting';

function routingOf(file: string) {
  const docs = loadUpstream(file);
  const canary = pick(docs, 'Canary');
  const httpRoutes = docs.filter(d => d.kind === 'HTTPRoute');
  return {
    canary,
    httpRoutes,
    routing: deriveIstioRouting({ canary, httpRoutes }),
  };
}

describe('deriveIstioRouting with Gateway API HTTPRoutes', () => {
  it('reads the split of a progressing gatewayapi:v1 canary from the HTTPRoute', () => {
    const { routing } = routingOf('gatewayapi-canary-progressing.yaml');
    expect(routing.router).toEqual({
      kind: 'HTTPRoute',
      apiVersion: 'gateway.networking.k8s.io/v1',
      namespace: 'test',
      name: 'podinfo',
      hosts: ['www.example.com'],
      gateways: ['istio-ingress/gateway'],
    });
    expect(routing).toMatchObject({
      primaryWeight: 80,
      canaryWeight: 20,
      mirrored: false,
      problems: [],
    });
    expect(routing.canaryMatches).toBeUndefined();
    expect(routing.sessionAffinity).toBeUndefined();
    expect(routing.routes).toEqual([
      {
        name: undefined,
        protocol: 'http',
        // PathPrefix "/" matches every request: Flagger's default, no condition to show.
        match: false,
        matches: [],
        destinations: [
          { host: 'podinfo-primary', weight: 80, role: 'primary' },
          { host: 'podinfo-canary', weight: 20, role: 'canary' },
        ],
      },
    ]);
  });

  it('keeps the 50/50 of the HTTPRoute while Flagger waits for promotion', () => {
    const { routing } = routingOf('gatewayapi-canary-waiting-promotion.yaml');
    expect([routing.primaryWeight, routing.canaryWeight]).toEqual([50, 50]);
    expect(routing.problems).toEqual([]);
  });

  it('reads A/B testing: matching requests to the canary, the rest to the primary', () => {
    const { routing } = routingOf('gatewayapi-ab-testing.yaml');
    expect(routing.canaryMatches).toEqual(['header x-canary = insider']);
    // The split is the default rule's (rules[1]), never the 0/100 of the match rule.
    expect([routing.primaryWeight, routing.canaryWeight]).toEqual([100, 0]);
    expect(routing.routes.map(r => [r.match, r.matches])).toEqual([
      [true, ['header x-canary = insider']],
      [false, []],
    ]);
    expect(routing.problems).toEqual([]);
  });

  it('reads session affinity: the weighted rule is the split, the cookie rules are sticky', () => {
    const { routing } = routingOf('gatewayapi-session-affinity.yaml');
    expect([routing.primaryWeight, routing.canaryWeight]).toEqual([90, 10]);
    expect(routing.sessionAffinity).toEqual({
      cookieName: 'canary-flagger-cookie',
    });
    expect(routing.routes.map(r => r.sticky ?? false)).toEqual([
      true,
      true,
      false,
    ]);
    expect(routing.routes[0].matches).toEqual([
      'cookie ~ .*canary-flagger-cookie.*LpsIaLdoNZ.*',
    ]);
    expect(routing.routes[1].matches).toEqual([
      'cookie ~ .*primary-flagger-cookie.*ApvLdqCoMF.*',
    ]);
    // Sticky routes are not A/B conditions.
    expect(routing.canaryMatches).toBeUndefined();
  });

  it('reads a gatewayapi:v1beta1 HTTPRoute attached to a Service (Linkerd)', () => {
    const { routing } = routingOf('flagger-linkerd-canary.yaml');
    expect(routing.router).toMatchObject({
      kind: 'HTTPRoute',
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      hosts: [],
      gateways: ['test/podinfo'],
    });
    expect([routing.primaryWeight, routing.canaryWeight]).toEqual([70, 30]);
    expect(routing.problems).toEqual([]);
  });

  it('reads request mirroring from a RequestMirror filter', () => {
    const { canary, httpRoutes } = routingOf(
      'gatewayapi-canary-progressing.yaml',
    );
    const mirrored = clone(httpRoutes[0]);
    const rule = (mirrored.spec as any).rules[0];
    rule.filters = [
      {
        type: 'RequestMirror',
        requestMirror: {
          backendRef: { name: 'podinfo-canary', port: 9898 },
          percent: 40,
        },
      },
    ];
    const routing = deriveIstioRouting({ canary, httpRoutes: [mirrored] });
    expect(routing.mirrored).toBe(true);
    expect(routing.mirrorPercentage).toBe(40);
  });

  it('reports a parent that has not accepted the current generation', () => {
    const { canary, httpRoutes } = routingOf(
      'gatewayapi-canary-progressing.yaml',
    );
    const stale = clone(httpRoutes[0]);
    stale.metadata = { ...stale.metadata, generation: 4 };
    const routing = deriveIstioRouting({ canary, httpRoutes: [stale] });
    expect(routing.problems).toEqual([
      {
        field: 'status.parents',
        message:
          'parent gateway has not accepted generation 4 yet (observed 3)',
      },
    ]);
  });

  it('picks the HTTPRoute named after the apex service and reports malformed rules', () => {
    const { canary, httpRoutes } = routingOf(
      'gatewayapi-canary-progressing.yaml',
    );
    const other: KubeObject = {
      ...clone(httpRoutes[0]),
      metadata: { name: 'frontend', namespace: 'test' },
    };
    expect(
      deriveIstioRouting({ canary, httpRoutes: [other] }).router,
    ).toBeUndefined();
    const broken = clone(httpRoutes[0]);
    (broken.spec as Record<string, unknown>).rules = 'nope';
    const routing = deriveIstioRouting({ canary, httpRoutes: [broken] });
    expect(routing.problems.map(p => p.field)).toEqual([
      'spec.rules',
      'spec.rules',
    ]);
    expect(routing.canaryWeight).toBeUndefined();
  });
});
