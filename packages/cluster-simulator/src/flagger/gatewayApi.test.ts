import { ClusterHandle, Simulator, startSimulator } from '../Simulator';
import { KubeObject } from '../types';
import { CANARY_API, MINUTE } from './__testUtils__/demoCluster';

const HTTP_ROUTE = 'gateway.networking.k8s.io/v1';
const NS = 'tenant-c';

/** The demo's Gateway API tenant: catalog-api on `gatewayapi:v1` in prod-eu-1. */
describe('Flagger with the Gateway API provider (virtual clock)', () => {
  let sim: Simulator;
  let prod: ClusterHandle;

  beforeEach(async () => {
    sim = await startSimulator({ scenario: 'demo', http: true });
    prod = sim.cluster('prod-eu-1');
    await sim.clock.advance(MINUTE);
  });
  afterEach(() => sim.stop());

  const route = () =>
    prod.objects.get(HTTP_ROUTE, 'HTTPRoute', NS, 'catalog-api')!;
  const weights = () =>
    (
      route().spec as {
        rules: Array<{ backendRefs: Array<{ name: string; weight: number }> }>;
      }
    ).rules[0].backendRefs.map(b => `${b.name}=${b.weight}`);
  const status = () =>
    prod.objects.get(CANARY_API, 'Canary', NS, 'catalog-api')!.status as {
      phase: string;
      canaryWeight: number;
    };
  const accepted = (r: KubeObject) =>
    (
      r.status as {
        parents: Array<{
          parentRef: unknown;
          conditions: Array<{
            type: string;
            status: string;
            observedGeneration: number;
          }>;
        }>;
      }
    ).parents.map(p => ({
      parentRef: p.parentRef,
      accepted: p.conditions.find(c => c.type === 'Accepted'),
    }));

  it('routes through an HTTPRoute on istio-ingress/main, owned by the canary, no VirtualService', () => {
    const r = route();
    expect(r.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Canary',
        name: 'catalog-api',
        controller: true,
      }),
    ]);
    expect(r.spec).toMatchObject({
      parentRefs: [{ name: 'main', namespace: 'istio-ingress' }],
      hostnames: ['catalog-api.example.com'],
    });
    expect(weights()).toEqual([
      'catalog-api-primary=100',
      'catalog-api-canary=0',
    ]);
    expect(accepted(r)).toEqual([
      {
        parentRef: { name: 'main', namespace: 'istio-ingress' },
        accepted: expect.objectContaining({
          status: 'True',
          observedGeneration: r.metadata.generation,
        }),
      },
    ]);
    expect(
      prod.objects.list('networking.istio.io/v1beta1', 'VirtualService', NS),
    ).toEqual([]);
    expect(
      prod.objects.list('networking.istio.io/v1beta1', 'DestinationRule', NS),
    ).toEqual([]);
    const gateway = prod.objects.get(
      HTTP_ROUTE,
      'Gateway',
      'istio-ingress',
      'main',
    )!;
    expect(gateway.status).toMatchObject({
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Programmed', status: 'True' }),
      ]),
      listeners: [
        expect.objectContaining({ name: 'https', attachedRoutes: 1 }),
        expect.objectContaining({ name: 'http', attachedRoutes: 1 }),
      ],
    });
  });

  it('steps the HTTPRoute 5 -> 20 like podinfo, waits at the promotion gate, promotes to 100/0', async () => {
    prod.releaseRevision(NS, 'catalog-api', {
      image: 'ghcr.io/example/catalog-api:4.2.1',
      successRate: 99.97,
      p99Ms: 190,
    });
    const trace: string[] = [];
    for (let i = 0; i < 7; i++) {
      await sim.clock.advance(MINUTE);
      const s = status();
      trace.push(
        `${s.phase} ${s.canaryWeight} ${weights()
          .map(w => w.split('=')[1])
          .join('/')}`,
      );
      // Istio's status follows every generation Flagger writes (GetRoutes' readiness check).
      expect(accepted(route())[0].accepted).toMatchObject({
        status: 'True',
        observedGeneration: route().metadata.generation,
      });
    }
    expect(trace).toEqual([
      'Progressing 0 100/0',
      'Progressing 5 95/5',
      'Progressing 10 90/10',
      'Progressing 15 85/15',
      'Progressing 20 80/20',
      'WaitingPromotion 0 80/20',
      'WaitingPromotion 0 80/20',
    ]);

    const info = sim.clusters.find(c => c.name === 'prod-eu-1')!;
    const open = await fetch(
      `${info.url}/api/v1/namespaces/${NS}/services/flagger-loadtester:80/proxy/gate/open`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${info.token}` },
        body: JSON.stringify({ name: 'catalog-api', namespace: NS }),
      },
    );
    expect(open.status).toBe(202);
    for (let i = 0; i < 4; i++) await sim.clock.advance(MINUTE);
    expect(status().phase).toBe('Succeeded');
    expect(weights()).toEqual([
      'catalog-api-primary=100',
      'catalog-api-canary=0',
    ]);
  });

  it('puts a drifted route back (spec reset to 100/0, as Reconcile does)', async () => {
    prod.objects.patch(HTTP_ROUTE, 'HTTPRoute', NS, 'catalog-api', {
      spec: { hostnames: ['other.example.com'] },
    });
    await sim.clock.advance(MINUTE);
    expect(route().spec).toMatchObject({
      hostnames: ['catalog-api.example.com'],
    });
  });
});
