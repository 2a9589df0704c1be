import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices, ServiceMock } from '@backstage/backend-test-utils';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator } from '@internal/cluster-simulator';
import { specViolations } from '../__testUtils__/specConformance';
import {
  CANARY,
  PROD,
  simCanary,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from '../__testUtils__/simulatorBackend';
import { waitFor } from '../__testUtils__/waitFor';

jest.setTimeout(60_000);

const TIMEOUT_MS = 500;
const HALT = `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/halt`;
const GATE_KEY = 'podinfo.tenant-a';
const SHARED = 'flagger-system';

/**
 * Through the plugin: where a canary's gate may be called (its namespace's loadtester, or a
 * shared one in a namespace the configuration lists, on a port its Service declares), and what
 * a cluster that takes the request and does not answer in time comes to: "outcome unknown".
 */
describe('gate calls the backend can trust', () => {
  let sim: Simulator;
  let backend: SimulatorBackend;
  let auditor: ServiceMock<AuditorService>;
  let originalWebhooks: unknown[];
  const audited: Array<{ success: jest.Mock; fail: jest.Mock }> = [];

  const loadtester = (namespace: string) =>
    sim.cluster(PROD).cluster.loadtester(namespace);
  /** The requests the backend made to the cluster, watches (which reconnect now and then) aside. */
  const clusterCalls = () =>
    Object.fromEntries(
      Object.entries(
        sim.cluster(PROD).counters.snapshot().byVerbAndResource,
      ).filter(([key]) => !key.startsWith('watch ')),
    );

  beforeAll(async () => {
    sim = await startDemoSimulator();
    // A shared loadtester, as Flagger's Prometheus Operator tutorial names it
    // (http://loadtester.flagger-system/; fluxcd/flagger@15bd6ad docs/gitbook/tutorials).
    sim.cluster(PROD).objects.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'loadtester', namespace: SHARED },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    sim
      .cluster(PROD)
      .cluster.registerService(SHARED, 'loadtester', loadtester(SHARED).handle);
    originalWebhooks = (simCanary(sim, PROD, 'tenant-a', 'podinfo').spec as any)
      .analysis.webhooks;
    auditor = mockServices.auditor.mock({
      createEvent: async () => {
        const event = { success: jest.fn(), fail: jest.fn() };
        audited.push(event);
        return event;
      },
    });
    backend = await startSimulatorBackend(sim, {
      auditor,
      progressiveDelivery: {
        clusterCallTimeoutMs: TIMEOUT_MS,
        actions: { gateNamespaces: [SHARED] },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  afterEach(() => {
    sim.cluster(PROD).faults.reset();
    audited.splice(0);
  });

  /** Points podinfo's promotion gate at `url` and waits until the backend sees it. */
  async function promotionGateAt(url: string) {
    const webhooks = originalWebhooks.map((w: any) =>
      w.name === 'promotion-gate' ? { ...w, url } : w,
    );
    const canary = simCanary(sim, PROD, 'tenant-a', 'podinfo') as any;
    sim.cluster(PROD).objects.patch(...CANARY, 'tenant-a', 'podinfo', {
      spec: { analysis: { ...canary.spec.analysis, webhooks } },
    });
    await waitFor(
      async () =>
        (
          await backend.get('/v1/entities/component/default/podinfo')
        ).body as EntityDeliveryState,
      state =>
        state.clusters
          .find(c => c.cluster === PROD)!
          .canaries[0].progress.gates.some(g => g.url === url),
      { what: `the backend to see the gate at ${url}` },
    );
  }

  /** Halts podinfo with its gate at `url`; the response and the cluster calls it made. */
  async function haltWithGateAt(url: string) {
    await promotionGateAt(url);
    sim.cluster(PROD).counters.reset();
    const res = await backend.post(HALT);
    return { res, calls: clusterCalls() };
  }

  it("refuses a webhook naming another namespace's loadtester, and calls nothing", async () => {
    const url = 'http://flagger-loadtester.tenant-c/gate/check';
    loadtester('tenant-c').handle({
      method: 'POST',
      path: '/gate/open',
      body: JSON.stringify({ name: 'podinfo', namespace: 'tenant-a' }),
    });
    const { res, calls } = await haltWithGateAt(url);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `Refusing to call webhook promotion-gate of Canary tenant-a/podinfo in ${PROD} at ${url}: the service is in namespace tenant-c, not the canary's namespace tenant-a or one of progressiveDelivery.actions.gateNamespaces (${SHARED}).`,
    );
    expect(calls).toEqual({});
    // The other tenant's gate for this canary is as it was.
    expect(loadtester('tenant-c').isOpen(GATE_KEY)).toBe(true);
    expect(audited[0].fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'ConflictError' }),
    });
  });

  it('refuses a webhook naming another service of the namespace', async () => {
    const url = 'http://podinfo.tenant-a:9898/gate/check';
    const { res, calls } = await haltWithGateAt(url);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `Refusing to call webhook promotion-gate of Canary tenant-a/podinfo in ${PROD} at ${url}: service podinfo is not a loadtester: gates are only called on a Service named flagger-loadtester or loadtester (progressiveDelivery.actions.gateServices).`,
    );
    expect(calls).toEqual({});
  });

  it('refuses a port the loadtester Service does not declare, after reading the Service only', async () => {
    const url = 'http://flagger-loadtester.tenant-a:8080/gate/check';
    const { res, calls } = await haltWithGateAt(url);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `Refusing to call webhook promotion-gate of Canary tenant-a/podinfo in ${PROD} at ${url}: port 8080 is not a port of Service tenant-a/flagger-loadtester, which declares 80.`,
    );
    expect(calls).toEqual({ 'get services': 1 });
  });

  it('calls a shared loadtester in a namespace the configuration allows', async () => {
    loadtester(SHARED).handle({
      method: 'POST',
      path: '/gate/open',
      body: JSON.stringify({ name: 'podinfo', namespace: 'tenant-a' }),
    });
    const { res, calls } = await haltWithGateAt(
      `http://loadtester.${SHARED}/gate/check`,
    );
    expect(res.status).toBe(200);
    expect(loadtester(SHARED).isOpen(GATE_KEY)).toBe(false);
    expect(calls).toEqual({
      'get services': 1,
      'create proxy services': 1,
    });
  });

  it('answers "outcome unknown" (504) when the gate call reached the cluster and its answer did not come back in time', async () => {
    await promotionGateAt('http://flagger-loadtester.tenant-a/gate/check');
    const gates = loadtester('tenant-a');
    gates.handle({
      method: 'POST',
      path: '/gate/open',
      body: JSON.stringify({ name: 'podinfo', namespace: 'tenant-a' }),
    });
    // The API server holds the proxied call longer than the backend waits.
    sim.cluster(PROD).faults.set({
      pathLatencyMs: {
        '/api/v1/namespaces/tenant-a/services/flagger-loadtester:80/proxy': 2_000,
      },
    });
    const started = Date.now();
    const res = await backend.post(HALT);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);

    expect(res.status).toBe(504);
    expect(specViolations(res.body, 'Error')).toEqual([]);
    expect(res.body.error.name).toBe('OutcomeUnknownError');
    const { message } = res.body.error;
    expect(message).toMatch(
      /^Outcome unknown: POST of service tenant-a\/flagger-loadtester was sent to cluster prod-eu-1, but no answer came back: no answer from \S+ within 0\.5s\. /,
    );
    expect(message).toContain(
      `Check the canary's gates and status before trying again (the Delivery tab, or in cluster ${PROD}: kubectl -n tenant-a get canary podinfo): at its next check, see whether Flagger waits at the gate (event "Halt podinfo.tenant-a advancement waiting for … approval promotion-gate").`,
    );
    expect(message).not.toMatch(/unreachable|failed/i);

    expect(audited).toHaveLength(1);
    expect(audited[0].success).not.toHaveBeenCalled();
    expect(audited[0].fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'OutcomeUnknownError' }),
      meta: { outcome: 'unknown' },
    });

    // The simulated API server drops a call whose client has gone; a real one may have acted.
  });

  it('answers "outcome unknown" for a Flux patch the cluster took and did not answer in time', async () => {
    const path = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/tenant-a/kustomizations/tenant-a`;
    sim.cluster(PROD).faults.set({ pathLatencyMs: { [path]: 1_500 } });
    const res = await backend.post(
      `/v1/clusters/${PROD}/namespaces/tenant-a/kustomizations/tenant-a/suspend`,
    );
    expect(res.status).toBe(504);
    expect(res.body.error.message).toMatch(
      /^Outcome unknown: PATCH of Kustomization tenant-a\/tenant-a was sent to cluster prod-eu-1, but no answer came back: .*\. Check the object before trying again \(its Flux state on the Delivery tab, or in cluster prod-eu-1: kubectl -n tenant-a get kustomization tenant-a -o yaml\): whether spec\.suspend is true\.$/,
    );
  });
});
