import { KubeObject } from '../kubernetes';
import { clone, loadFixture, loadFixtures } from '../__testUtils__/fixtures';
import { canaryServiceNames, deriveIstioRouting } from './istioRouting';

const canary = loadFixture('flagger-canary-progressing.yaml');
const generated = loadFixtures('flagger-istio-generated-objects.yaml');
const virtualService = generated.find(o => o.kind === 'VirtualService')!;
const destinationRules = generated.filter(o => o.kind === 'DestinationRule');
const tenant = loadFixtures('tenant-skeleton-synthesized.yaml');

/** The tenant skeleton's policies, moved into the canary's namespace. */
function tenantPolicy(kind: string): KubeObject {
  const policy = clone(tenant.find(o => o.kind === kind)!);
  policy.metadata = { ...policy.metadata, namespace: 'test' };
  return policy;
}

function peerAuthentication(
  name: string,
  namespace: string,
  mode: string,
  matchLabels?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name, namespace },
    spec: {
      ...(matchLabels ? { selector: { matchLabels } } : {}),
      mtls: { mode },
    },
  };
}

const primaryLabels = { app: 'podinfo-primary' };

describe('deriveIstioRouting', () => {
  it('names the services like Flagger', () => {
    expect(canaryServiceNames(canary)).toEqual({
      apex: 'podinfo',
      primary: 'podinfo-primary',
      canary: 'podinfo-canary',
    });
  });

  it('reads the weights of the generated VirtualService', () => {
    const routing = deriveIstioRouting({
      canary,
      virtualService,
      destinationRules,
    });
    expect(routing).toMatchObject({
      router: {
        kind: 'VirtualService',
        apiVersion: 'networking.istio.io/v1beta1',
        namespace: 'test',
        name: 'podinfo',
        hosts: ['podinfo'],
        gateways: ['mesh'],
      },
      primaryWeight: 80,
      canaryWeight: 20,
      mirrored: false,
      destinationRules: [
        { name: 'podinfo-canary', host: 'podinfo-canary' },
        { name: 'podinfo-primary', host: 'podinfo-primary' },
      ],
      mtlsMode: 'PERMISSIVE',
      mtlsSource: 'default',
      problems: [],
    });
  });

  it('reads A/B routes and mirroring', () => {
    const ab = clone(virtualService);
    (ab.spec as Record<string, unknown>).http = [
      {
        match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 0 },
          { destination: { host: 'podinfo-canary' }, weight: 100 },
        ],
      },
      {
        route: [{ destination: { host: 'podinfo-primary' } }],
        mirror: { host: 'podinfo-canary' },
        mirrorPercentage: { value: 50 },
      },
    ];
    const routing = deriveIstioRouting({ canary, virtualService: ab });
    // The split is the default route's: matching requests go to the canary (canaryMatches),
    // all others to the primary.
    expect(routing.canaryWeight).toBe(0);
    expect(routing.primaryWeight).toBe(100);
    expect(routing.canaryMatches).toEqual(['header x-canary = insider']);
    expect(routing.routes.map(r => r.match)).toEqual([true, false]);
    expect(routing.routes[1].destinations[0].weight).toBe(100);
    expect(routing.routes[1].mirror).toEqual({
      host: 'podinfo-canary',
      percentage: 50,
    });
    expect(routing.mirrored).toBe(true);
    expect(routing.mirrorPercentage).toBe(50);
  });

  it('applies the tenant policies of the namespace', () => {
    const routing = deriveIstioRouting({
      canary,
      virtualService,
      workloadLabels: primaryLabels,
      peerAuthentications: [tenantPolicy('PeerAuthentication')],
      authorizationPolicies: [tenantPolicy('AuthorizationPolicy')],
      sidecars: [tenantPolicy('Sidecar')],
    });
    expect(routing.mtlsMode).toBe('STRICT');
    expect(routing.mtlsSource).toBe('namespace');
    expect(routing.policies).toEqual([
      {
        kind: 'PeerAuthentication',
        namespace: 'test',
        name: 'default',
        scope: 'namespace',
        summary: 'mTLS STRICT',
      },
      {
        kind: 'AuthorizationPolicy',
        namespace: 'test',
        name: 'allow-same-namespace-and-gateway',
        scope: 'namespace',
        summary: 'ALLOW, 1 rule',
      },
      {
        kind: 'Sidecar',
        namespace: 'test',
        name: 'default',
        scope: 'namespace',
        summary: 'outbound REGISTRY_ONLY, egress ./* istio-system/*',
      },
    ]);
  });

  it('orders policies with malformed metadata instead of failing', () => {
    const malformed = (name: unknown, creationTimestamp: unknown) =>
      ({
        ...peerAuthentication('x', 'test', 'STRICT'),
        metadata: { name, namespace: 'test', creationTimestamp },
      } as unknown as KubeObject);
    const routing = deriveIstioRouting({
      canary,
      workloadLabels: primaryLabels,
      peerAuthentications: [
        malformed('b', 1700000000),
        malformed(42, { time: 'now' }),
        malformed('a', '2026-01-01T00:00:00Z'),
      ],
    });
    expect(routing.mtlsMode).toBe('STRICT');
    expect(routing.policies.map(p => p.name)).toHaveLength(3);
  });

  it.each<[string, KubeObject[], string, string]>([
    [
      'mesh-wide only',
      [peerAuthentication('default', 'istio-system', 'STRICT')],
      'STRICT',
      'mesh',
    ],
    [
      'workload over namespace',
      [
        peerAuthentication('ns', 'test', 'STRICT'),
        peerAuthentication('wl', 'test', 'DISABLE', primaryLabels),
      ],
      'DISABLE',
      'workload',
    ],
    [
      'UNSET inherits from the namespace',
      [
        peerAuthentication('wl', 'test', 'UNSET', primaryLabels),
        peerAuthentication('ns', 'test', 'PERMISSIVE'),
        peerAuthentication('mesh', 'istio-system', 'STRICT'),
      ],
      'PERMISSIVE',
      'namespace',
    ],
    [
      'a selector for another workload does not apply',
      [peerAuthentication('other', 'test', 'DISABLE', { app: 'frontend' })],
      'PERMISSIVE',
      'default',
    ],
    [
      'another namespace does not apply',
      [peerAuthentication('other', 'tenant-b', 'DISABLE')],
      'PERMISSIVE',
      'default',
    ],
  ])('mTLS: %s', (_, peerAuthentications, mode, source) => {
    const routing = deriveIstioRouting({
      canary,
      workloadLabels: primaryLabels,
      peerAuthentications,
    });
    expect([routing.mtlsMode, routing.mtlsSource]).toEqual([mode, source]);
  });

  it('reports a VirtualService without a canary route', () => {
    const broken = clone(virtualService);
    (broken.spec as Record<string, unknown>).http = 'nope';
    const routing = deriveIstioRouting({ canary, virtualService: broken });
    expect(routing.problems.map(p => p.field)).toEqual([
      'spec.http',
      'spec.http',
    ]);
    expect(routing.canaryWeight).toBeUndefined();
  });
});
