// VirtualService routers, read against the upstream fixtures (src/__fixtures__/upstream, each
// file's header gives the expected reading asserted here).
import { clone, loadUpstream, pick } from '../../__testUtils__/fixtures';
import { deriveIstioRouting } from '../istioRouting';

function routingOf(file: string) {
  const docs = loadUpstream(file);
  const canary = pick(docs, 'Canary');
  const virtualService = pick(docs, 'VirtualService');
  return {
    canary,
    virtualService,
    routing: deriveIstioRouting({
      canary,
      virtualService,
      destinationRules: docs.filter(d => d.kind === 'DestinationRule'),
    }),
  };
}

describe('deriveIstioRouting with VirtualServices', () => {
  it('reads the split of a TCP canary from spec.tcp', () => {
    const { routing } = routingOf('istio-tcp-route.yaml');
    expect(routing.router).toEqual({
      kind: 'VirtualService',
      apiVersion: 'networking.istio.io/v1beta1',
      namespace: 'test',
      name: 'tcp-service',
      hosts: ['tcp-service'],
      gateways: ['istio-system/public-gateway'],
    });
    expect(routing.routes).toEqual([
      {
        name: undefined,
        protocol: 'tcp',
        match: false,
        matches: [],
        destinations: [
          {
            host: 'tcp-service-primary',
            weight: 80,
            role: 'primary',
            subset: undefined,
          },
          {
            host: 'tcp-service-canary',
            weight: 20,
            role: 'canary',
            subset: undefined,
          },
        ],
      },
    ]);
    expect(routing).toMatchObject({
      primaryWeight: 80,
      canaryWeight: 20,
      mirrored: false,
      problems: [],
    });
  });

  it('reads mirroring: live traffic stays on the primary, every request is copied', () => {
    const { routing } = routingOf('istio-mirroring.yaml');
    expect(routing).toMatchObject({
      primaryWeight: 100,
      canaryWeight: 0,
      mirrored: true,
      mirrorPercentage: 100,
      problems: [],
    });
    expect(routing.routes[0].mirror).toEqual({
      host: 'podinfo-canary',
      percentage: 100,
    });
  });

  it('reads all traffic on the canary after the last blue/green iteration', () => {
    const { routing } = routingOf('istio-bluegreen-last-iteration.yaml');
    expect([routing.primaryWeight, routing.canaryWeight]).toEqual([0, 100]);
    expect(routing.problems).toEqual([]);
  });

  it('reads all traffic left on the canary after a failed promotion', () => {
    const { routing } = routingOf('istio-failed-promotion.yaml');
    expect([routing.primaryWeight, routing.canaryWeight]).toEqual([0, 100]);
  });

  it("reads Flagger's session-affinity routes: the split is the route that sets the cookie", () => {
    // The rules istio.go getSessionAffinityRouteRules writes (sticky canary, sticky primary,
    // weighted), with the cookies of gatewayapi-session-affinity.yaml.
    const { canary, virtualService } = routingOf('istio-failed-promotion.yaml');
    const sticky = clone(virtualService);
    const affinityCanary = clone(canary);
    (affinityCanary.spec as any).analysis.sessionAffinity = {
      cookieName: 'canary-flagger-cookie',
      primaryCookieName: 'primary-flagger-cookie',
    };
    const cookieRoute = (cookie: string, primary: number) => ({
      match: [{ headers: { Cookie: { regex: `.*${cookie}.*` } } }],
      route: [
        { destination: { host: 'podinfo-primary' }, weight: primary },
        { destination: { host: 'podinfo-canary' }, weight: 100 - primary },
      ],
    });
    const setCookie = (value: string) => ({
      response: { add: { 'Set-Cookie': value } },
    });
    (sticky.spec as any).http = [
      cookieRoute('canary-flagger-cookie.*LpsIaLdoNZ', 0),
      cookieRoute('primary-flagger-cookie.*ApvLdqCoMF', 100),
      {
        route: [
          {
            destination: { host: 'podinfo-primary' },
            weight: 90,
            headers: setCookie('primary-flagger-cookie=ApvLdqCoMF; Max-Age=15'),
          },
          {
            destination: { host: 'podinfo-canary' },
            weight: 10,
            headers: setCookie(
              'canary-flagger-cookie=LpsIaLdoNZ; Max-Age=86400',
            ),
          },
        ],
      },
    ];
    const routing = deriveIstioRouting({
      canary: affinityCanary,
      virtualService: sticky,
    });
    expect([routing.primaryWeight, routing.canaryWeight]).toEqual([90, 10]);
    expect(routing.routes.map(r => r.sticky ?? false)).toEqual([
      true,
      true,
      false,
    ]);
    expect(routing.sessionAffinity).toEqual({
      cookieName: 'canary-flagger-cookie',
    });
    expect(routing.canaryMatches).toBeUndefined();
  });

  it('reads a canary whose service match selects by header as weighted, not A/B', () => {
    // spec.service.match with a header: Flagger copies it into the one weighted route.
    const { canary, virtualService } = routingOf('istio-tcp-route.yaml');
    const http = clone(virtualService);
    (http.spec as any).tcp = undefined;
    (http.spec as any).http = [
      {
        match: [{ headers: { 'x-tenant': { exact: 'a' } } }],
        route: [
          { destination: { host: 'tcp-service-primary' }, weight: 70 },
          { destination: { host: 'tcp-service-canary' }, weight: 30 },
        ],
      },
    ];
    const routing = deriveIstioRouting({ canary, virtualService: http });
    expect([routing.primaryWeight, routing.canaryWeight]).toEqual([70, 30]);
    expect(routing.canaryMatches).toBeUndefined();
    expect(routing.routes[0].matches).toEqual(['header x-tenant = a']);
  });

  it('reads no router for a provider that routes without a VirtualService or HTTPRoute', () => {
    // provider kubernetes (flagger-daemonset-canary.yaml): Flagger's NopRouter, no split.
    const daemonSetCanary = pick(
      loadUpstream('flagger-daemonset-canary.yaml'),
      'Canary',
    );
    const { virtualService } = routingOf('istio-tcp-route.yaml');
    const routing = deriveIstioRouting({
      canary: daemonSetCanary,
      virtualService,
    });
    expect(routing.router).toBeUndefined();
    expect(routing.canaryWeight).toBeUndefined();
    expect(routing.problems).toEqual([]);
  });
});
