import {
  CanaryState,
  ClusterDeliveryState,
  EntityDeliveryState,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator } from '@internal/cluster-simulator';
import {
  advanceUntil,
  CANARY,
  component,
  newRevision,
  phaseOf,
  PROD,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { specViolations } from './__testUtils__/specConformance';
import { waitFor } from './__testUtils__/waitFor';

/*
 * The demo's Gateway API tenant (tenant-c in prod-eu-1: Flagger's gatewayapi:v1 provider, an
 * HTTPRoute per service attached to the Gateway istio-ingress/main), through the HTTP API: the
 * split shown is the one the HTTPRoute routes, not status.canaryWeight.
 */

jest.setTimeout(60_000);

const HTTP_ROUTE = ['gateway.networking.k8s.io/v1', 'HTTPRoute'] as const;
const NAMESPACE = 'tenant-c';
const NAME = 'catalog-api';

/** The weights of the route's rule that names both the primary and the canary service. */
function routeWeights(route: KubeObject): { primary: number; canary: number } {
  const rules = (route.spec as { rules: any[] }).rules;
  for (const rule of rules) {
    const weightOf = (suffix: string) =>
      rule.backendRefs?.find((b: any) => b.name === `${NAME}-${suffix}`)
        ?.weight;
    const [primary, canary] = [weightOf('primary'), weightOf('canary')];
    if (primary !== undefined && canary !== undefined) {
      return { primary, canary };
    }
  }
  throw new Error(`no weighted rule in ${JSON.stringify(rules)}`);
}

describe('a Gateway API canary through the HTTP API', () => {
  let sim: Simulator;
  let backend: SimulatorBackend | undefined;

  const simRoute = () =>
    sim.cluster(PROD).objects.get(...HTTP_ROUTE, NAMESPACE, NAME) as KubeObject;
  const simCanaryWeight = () =>
    (
      sim.cluster(PROD).objects.get(...CANARY, NAMESPACE, NAME) as {
        status?: { canaryWeight?: number };
      }
    ).status?.canaryWeight;

  async function entityState(): Promise<EntityDeliveryState> {
    const response = await backend!.get(
      '/v1/entities/component/default/catalog-api',
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  const prodOf = (state: EntityDeliveryState) =>
    state.clusters.find(c => c.cluster === PROD) as ClusterDeliveryState;
  const canaryOf = (state: EntityDeliveryState) =>
    prodOf(state).canaries.find(c => c.ref.name === NAME) as CanaryState;

  beforeAll(async () => {
    sim = await startDemoSimulator();
    backend = await startSimulatorBackend(sim, {
      entities: [
        component(NAME, { 'backstage.io/kubernetes-id': 'catalog-api' }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it("shows the split of Flagger's HTTPRoute, its Gateway and its provider", async () => {
    newRevision(sim, PROD, NAMESPACE, NAME);
    // Up to its last step, where it waits at its confirm-promotion gate with traffic on it.
    await advanceUntil(
      sim,
      () => phaseOf(sim, PROD, NAMESPACE, NAME) === 'WaitingPromotion',
      { stepMs: 15_000, what: 'catalog-api to wait for promotion' },
    );
    expect(routeWeights(simRoute()).canary).toBeGreaterThan(0);
    const routed = routeWeights(simRoute());
    const state = await waitFor(entityState, s =>
      s.clusters.some(
        c =>
          c.cluster === PROD &&
          c.canaries.some(
            k =>
              k.ref.name === NAME && k.progress.canaryWeight === routed.canary,
          ),
      ),
    );
    const canary = canaryOf(state);
    expect(canary.routing?.router).toEqual({
      kind: 'HTTPRoute',
      apiVersion: 'gateway.networking.k8s.io/v1',
      namespace: NAMESPACE,
      name: NAME,
      hosts: ['catalog-api.example.com'],
      gateways: ['istio-ingress/main'],
    });
    expect(canary.progress).toMatchObject({
      provider: 'gatewayapi:v1',
      weightSource: 'routing',
      canaryWeight: routed.canary,
      primaryWeight: routed.primary,
    });
    expect(canary.routing).toMatchObject({
      canaryWeight: routed.canary,
      primaryWeight: routed.primary,
      mtlsMode: 'STRICT',
    });
    // Its checks are MetricTemplates in istio-system, resolved from their templateRef.
    expect(
      canary.progress.metrics
        .filter(m => m.templateRef)
        .map(m => [m.name, m.template?.found, m.template?.provider]),
    ).toEqual([
      ['latency', true, 'prometheus'],
      ['error-rate', true, 'prometheus'],
    ]);
    // The simulated clusters serve no Bucket or ExternalArtifact CRD: data, not an error.
    expect(prodOf(state).notInstalled).toEqual(
      expect.arrayContaining(['Bucket', 'ExternalArtifact']),
    );
    expect(prodOf(state).errors).toEqual([]);
    // What a client generated from the spec reads: closed objects, nothing unnamed.
    expect(specViolations(state, 'EntityDeliveryState')).toEqual([]);
  });

  it('follows the HTTPRoute, not status.canaryWeight, when they disagree', async () => {
    const route = simRoute();
    const rules = (route.spec as { rules: any[] }).rules.map(rule => ({
      ...rule,
      backendRefs: rule.backendRefs?.map((b: any) => ({
        ...b,
        weight: b.name.endsWith('-canary') ? 35 : 65,
      })),
    }));
    sim
      .cluster(PROD)
      .objects.patch(...HTTP_ROUTE, NAMESPACE, NAME, { spec: { rules } });
    expect(simCanaryWeight()).not.toBe(35);

    const state = await waitFor(
      entityState,
      s => canaryOf(s).progress.canaryWeight === 35,
      { what: 'the HTTPRoute weights on the API' },
    );
    expect(canaryOf(state).progress).toMatchObject({
      canaryWeight: 35,
      primaryWeight: 65,
      weightSource: 'routing',
    });
    expect(simCanaryWeight()).not.toBe(35);
  });
});
