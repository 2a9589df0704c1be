import {
  EntityDeliveryState,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator, startSimulator } from '@internal/cluster-simulator';
import { Server } from 'node:http';
import request from 'supertest';
import { WATCHED_KINDS } from './watch/kinds';
import { DEMO_SIMULATOR } from './__testUtils__/demoSimulator';
import { SseClient } from './__testUtils__/SseClient';
import { specViolations } from './__testUtils__/specConformance';
import {
  component,
  SimulatorBackend,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';

const PROD = 'prod-eu-1';
const DEV = 'dev-eu-1';
const LIMITED_TOKEN = 'no-authorization-policies';
const CANARY = ['flagger.app/v1beta1', 'Canary'] as const;
const VIRTUAL_SERVICE = [
  'networking.istio.io/v1beta1',
  'VirtualService',
] as const;

/** The watched kinds the simulated cluster serves (the others are `notInstalled`, unwatched). */
function servedKindCount(sim: Simulator, cluster: string): number {
  return WATCHED_KINDS.filter(k => {
    try {
      sim
        .cluster(cluster)
        .objects.list(k.group ? `${k.group}/${k.version}` : k.version, k.kind);
      return true;
    } catch {
      return false;
    }
  }).length;
}

const entities = [
  component('podinfo', { 'backstage.io/kubernetes-id': 'podinfo' }),
  component('frontend', { 'backstage.io/kubernetes-id': 'frontend' }),
  component('checkout', { 'backstage.io/kubernetes-id': 'checkout' }),
  component('payments', { 'progressive-delivery/canary': 'tenant-b/payments' }),
  component('bare', {}),
  component('podinfo-dev', {
    'backstage.io/kubernetes-label-selector':
      'app.kubernetes.io/name in (podinfo)',
    'backstage.io/kubernetes-cluster': DEV,
  }),
  component('podinfo-tenant-a', {
    'backstage.io/kubernetes-id': 'podinfo',
    'backstage.io/kubernetes-namespace': 'tenant-a',
  }),
];

jest.setTimeout(30_000);

describe('progressive-delivery backend against the cluster simulator', () => {
  let sim: Simulator;
  let backend: SimulatorBackend | undefined;
  let server: Server;
  let baseUrl: string;
  /** Entities whose delivery state the caller may not read. */
  const denied = new Set<string>();
  /** Entities the caller may not see in the catalog at all. */
  const hidden = new Set<string>();

  beforeAll(async () => {
    sim = await startSimulator({
      ...DEMO_SIMULATOR,
      tokens: [
        {
          token: LIMITED_TOKEN,
          allow: [
            {
              verbs: ['get', 'list', 'watch'],
              resources: WATCHED_KINDS.map(k => k.plural).filter(
                plural => plural !== 'authorizationpolicies',
              ),
            },
          ],
        },
      ],
    });
    backend = await startSimulatorBackend(sim, {
      entities,
      // prod's token may not list AuthorizationPolicies.
      tokenFor: name => (name === PROD ? LIMITED_TOKEN : undefined),
      allow: {
        rule: (permission, ref) =>
          permission === 'catalog.entity.read'
            ? !hidden.has(ref)
            : !denied.has(ref),
      },
    });
    server = backend.server;
    const address = server.address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}/api/progressive-delivery`;
    // Every kind listed and its watch open (prod's token may not list AuthorizationPolicies).
    for (const [name, watches] of [
      [PROD, servedKindCount(sim, PROD) - 1],
      [DEV, servedKindCount(sim, DEV)],
    ] as const) {
      const api = sim.cluster(name).cluster.api;
      await waitFor(
        () => api.openWatchCount,
        n => n === watches,
        { what: `${watches} open watches on ${name}` },
      );
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  afterEach(() => {
    denied.clear();
    hidden.clear();
    for (const name of [PROD, DEV]) {
      sim.cluster(name).faults.reset();
    }
  });

  async function clusters(): Promise<any[]> {
    const res = await request(server).get(
      '/api/progressive-delivery/v1/clusters',
    );
    return res.body.items;
  }

  async function entityState(name: string): Promise<EntityDeliveryState> {
    const res = await request(server).get(
      `/api/progressive-delivery/v1/entities/component/default/${name}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Shifts traffic the way Flagger does: VirtualService routes and the canary's status. */
  function setWeight(
    cluster: string,
    ns: string,
    name: string,
    weight: number,
  ) {
    const objects = sim.cluster(cluster).objects;
    const vs = objects.get(
      VIRTUAL_SERVICE[0],
      VIRTUAL_SERVICE[1],
      ns,
      name,
    ) as any;
    const http = vs.spec.http.map((route: any) => ({
      ...route,
      route: route.route.map((d: any) => {
        if (d.destination.host.startsWith(`${name}-canary`)) {
          return { ...d, weight };
        }
        if (d.destination.host.startsWith(`${name}-primary`)) {
          return { ...d, weight: 100 - weight };
        }
        return d;
      }),
    }));
    objects.patch(...VIRTUAL_SERVICE, ns, name, { spec: { http } });
    objects.patch(...CANARY, ns, name, { status: { canaryWeight: weight } });
  }

  const simCanary = (cluster: string, ns: string, name: string) =>
    sim.cluster(cluster).objects.get(...CANARY, ns, name) as KubeObject;

  it('serves component:default/podinfo as the simulator has it, in both clusters', async () => {
    const state = await entityState('podinfo');
    expect(state.entityRef).toBe('component:default/podinfo');
    expect(state.explanation).toBeUndefined();
    expect(state.clusters.map(c => c.cluster).sort()).toEqual([DEV, PROD]);
    // What a client generated from the spec reads: closed objects, nothing unnamed.
    expect(specViolations(state, 'EntityDeliveryState')).toEqual([]);

    const prod = state.clusters.find(c => c.cluster === PROD)!;
    const [canary] = prod.canaries;
    const expected = simCanary(PROD, 'tenant-a', 'podinfo');
    const status = expected.status as Record<string, any>;
    const analysis = (expected.spec as any).analysis;
    expect(canary.ref).toEqual({
      cluster: PROD,
      kind: 'Canary',
      namespace: 'tenant-a',
      name: 'podinfo',
    });
    expect(canary.progress.phase).toBe(status.phase);
    // Weights are what the VirtualService routes (Flagger zeroes status.canaryWeight once
    // analysis ends), checked against the simulator's VirtualService below.
    expect(canary.progress.weightSource).toBe('routing');
    expect(canary.progress.failedChecks).toBe(status.failedChecks ?? 0);
    expect(canary.progress.threshold).toBe(analysis.threshold);
    expect(canary.progress.maxWeight).toBe(analysis.maxWeight);
    const weights = canary.progress.steps
      .filter(s => s.kind === 'weight')
      .map(s => s.weight);
    expect(weights[0]).toBe(analysis.stepWeight);
    expect(weights[weights.length - 1]).toBeGreaterThanOrEqual(
      analysis.maxWeight,
    );
    expect(canary.progress.gates.map(g => g.type)).toEqual(
      expect.arrayContaining(['confirm-promotion', 'rollback']),
    );

    // Flux: the canary's Kustomization and its source, with revisions and readiness.
    expect(canary.fluxOwner?.kind).toBe('Kustomization');
    const kustomization = prod.flux.find(f => f.ref.kind === 'Kustomization')!;
    const simKustomization = sim
      .cluster(PROD)
      .objects.get(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        kustomization.ref.namespace,
        kustomization.ref.name,
      ) as any;
    expect(kustomization.readiness.appliedRevision).toBe(
      simKustomization.status.lastAppliedRevision,
    );
    expect(kustomization.readiness.ready).toBe(
      simKustomization.status.conditions.find((c: any) => c.type === 'Ready')
        .status,
    );
    const source = prod.flux.find(
      f => f.ref.kind === kustomization.sourceRef?.kind,
    )!;
    expect(source.ref.name).toBe(kustomization.sourceRef?.name);
    expect(source.readiness.appliedRevision).toEqual(expect.any(String));

    // Istio: weights straight from the simulator's VirtualService.
    const vs = sim
      .cluster(PROD)
      .objects.get(
        'networking.istio.io/v1beta1',
        'VirtualService',
        'tenant-a',
        'podinfo',
      ) as any;
    const route = vs.spec.http.find((r: any) =>
      r.route.some((d: any) => d.destination.host.startsWith('podinfo-canary')),
    );
    const weightOf = (prefix: string) =>
      route.route.find((d: any) => d.destination.host.startsWith(prefix))
        ?.weight ?? 0;
    expect(canary.routing?.canaryWeight).toBe(weightOf('podinfo-canary'));
    expect(canary.routing?.primaryWeight).toBe(weightOf('podinfo-primary'));
    expect(canary.progress.canaryWeight).toBe(weightOf('podinfo-canary'));
    expect(canary.progress.primaryWeight).toBe(weightOf('podinfo-primary'));
    expect(canary.routing?.mtlsMode).toEqual(
      expect.stringMatching(/STRICT|PERMISSIVE|DISABLE/),
    );
  });

  it('sends no request to the Kubernetes API while serving entities', async () => {
    for (const name of [PROD, DEV]) {
      sim.cluster(name).counters.reset();
    }
    for (let i = 0; i < 10; i++) {
      await entityState('podinfo');
      await entityState('checkout');
    }
    await request(server)
      .get('/api/progressive-delivery/v1/canaries')
      .expect(200);
    expect(sim.cluster(DEV).counters.snapshot().total).toBe(0);
    // The only requests to prod are the retries of the kind its token may not list.
    const prod = sim.cluster(PROD).counters.snapshot().byVerbAndResource;
    expect(
      Object.keys(prod).filter(
        k => k !== 'list authorizationpolicies.security.istio.io',
      ),
    ).toEqual([]);
  });

  it('shows a weight change on the API and on an open event stream within a second', async () => {
    const stream = await SseClient.open(
      `${baseUrl}/v1/entities/component/default/podinfo/events`,
    );
    try {
      expect(stream.status).toBe(200);
      await waitFor(
        () => stream.messages.length,
        n => n >= 1,
        { what: 'the first state' },
      );
      const nextWeight = 7;
      const changedAt = Date.now();
      setWeight(PROD, 'tenant-a', 'podinfo', nextWeight);
      const weightIn = (state: EntityDeliveryState) =>
        state.clusters.find(c => c.cluster === PROD)?.canaries[0]?.progress
          .canaryWeight;
      // The requirement is one second from the watch event to the open tab.
      const message = await waitFor(
        () => stream.messages.find(m => weightIn(m.data) === nextWeight),
        m => m !== undefined,
        {
          timeoutMs: 1000,
          intervalMs: 5,
          what: 'the new weight on the stream',
        },
      );
      expect(message!.receivedAt - changedAt).toBeLessThanOrEqual(1000);
      expect(weightIn(await entityState('podinfo'))).toBe(nextWeight);
    } finally {
      stream.close();
    }
  });

  it('narrows by label selector, cluster and namespace annotations', async () => {
    const dev = await entityState('podinfo-dev');
    expect(dev.clusters.map(c => c.cluster)).toEqual([DEV]);
    expect(dev.clusters[0].canaries.map(c => c.ref.name)).toEqual(['podinfo']);
    expect(dev.clusters[0].workloads.map(w => w.ref.name)).toContain('podinfo');

    const tenantA = await entityState('podinfo-tenant-a');
    const withCanaries = tenantA.clusters.filter(c => c.canaries.length > 0);
    expect(withCanaries.map(c => c.cluster)).toEqual([PROD]);
    expect(withCanaries[0].canaries[0].ref.namespace).toBe('tenant-a');
  });

  it('answers 404 for an unknown entity, 400 for a malformed ref, 403 when not allowed', async () => {
    const base = '/api/progressive-delivery/v1/entities';
    const status = async (path: string) =>
      (await request(server).get(`${base}/${path}`)).status;
    expect(await status('component/default/nope')).toBe(404);
    expect(await status('component/default/not%20valid')).toBe(400);
    expect(await status('component/default/podinfo/events?x=1')).toBe(400);
    denied.add('component:default/podinfo');
    expect(await status('component/default/podinfo')).toBe(403);
    expect(await status('component/default/podinfo/events')).toBe(403);
  });

  it('answers 404 for an entity the caller may not see in the catalog, although the plugin keeps it in memory', async () => {
    const path =
      '/api/progressive-delivery/v1/entities/component/default/podinfo';
    expect((await request(server).get(path)).status).toBe(200);
    hidden.add('component:default/podinfo');
    const res = await request(server).get(path);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('No entity component:default/podinfo');
    const list = await request(server).get(
      '/api/progressive-delivery/v1/canaries',
    );
    expect(
      list.body.items.some((c: any) =>
        c.entityRefs.includes('component:default/podinfo'),
      ),
    ).toBe(false);
  });

  it('explains an entity without annotations', async () => {
    const state = await entityState('bare');
    expect(state.clusters).toEqual([]);
    expect(state.explanation).toMatchObject({
      reason: 'noAnnotations',
      annotations: expect.arrayContaining(['backstage.io/kubernetes-id']),
    });
  });

  it('lists the canaries of readable entities, with filters', async () => {
    const res = await request(server)
      .get('/api/progressive-delivery/v1/canaries')
      .query({ cluster: DEV });
    expect(res.status).toBe(200);
    const names = res.body.items.map(
      (c: any) => `${c.ref.namespace}/${c.ref.name}`,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'tenant-b/checkout',
        'tenant-b/payments',
        'tenant-b/podinfo',
      ]),
    );
    expect(res.body.items.every((c: any) => c.ref.cluster === DEV)).toBe(true);

    denied.add('component:default/checkout');
    const filtered = await request(server).get(
      '/api/progressive-delivery/v1/canaries',
    );
    expect(
      filtered.body.items.some((c: any) => c.ref.name === 'checkout'),
    ).toBe(false);
  });

  it('reports 403 on one kind on that cluster only, naming kind and verb', async () => {
    const prod = (await clusters()).find(c => c.name === PROD);
    expect(prod.state).toBe('degraded');
    expect(prod.errors).toEqual([
      expect.objectContaining({
        errorType: 'FORBIDDEN',
        statusCode: 403,
        kind: 'AuthorizationPolicy',
        verb: 'list',
        message: expect.stringContaining(`cluster ${PROD}`),
      }),
    ]);
    const state = await entityState('podinfo');
    expect(state.clusters.find(c => c.cluster === DEV)?.errors).toEqual([]);
    expect(state.clusters.find(c => c.cluster === PROD)?.canaries).toHaveLength(
      1,
    );
  });

  it('keeps serving one cluster while the other is down, and recovers', async () => {
    sim.cluster(DEV).faults.set({ down: true });
    sim.cluster(DEV).faults.dropWatches();
    const down = await waitFor(
      () => entityState('podinfo'),
      s => s.clusters.find(c => c.cluster === DEV)?.state === 'error',
      { what: 'the dev cluster to report an error' },
    );
    expect(down.clusters.find(c => c.cluster === DEV)?.errors).toEqual([
      expect.objectContaining({ errorType: 'UNREACHABLE' }),
    ]);
    expect(down.clusters.find(c => c.cluster === PROD)?.canaries).toHaveLength(
      1,
    );

    sim.cluster(DEV).faults.set({ down: false });
    await waitFor(
      () => clusters(),
      items => items.find((c: any) => c.name === DEV)?.state === 'synced',
      { what: 'the dev cluster to recover' },
    );
  });

  it('resumes a dropped watch and sees later changes', async () => {
    sim.cluster(DEV).counters.reset();
    sim.cluster(DEV).faults.dropWatches();
    const watches = await waitFor(
      () => sim.cluster(DEV).counters.snapshot().byVerb.watch ?? 0,
      n => n > 0,
      { what: 'the watches to reconnect' },
    );
    expect(watches).toBeGreaterThan(0);
    setWeight(DEV, 'tenant-b', 'checkout', 42);
    const state = await waitFor(
      () => entityState('checkout'),
      s =>
        s.clusters.find(c => c.cluster === DEV)?.canaries[0]?.progress
          .canaryWeight === 42,
      { what: 'the change after the dropped watch' },
    );
    expect(state.clusters.find(c => c.cluster === DEV)?.errors).toEqual([]);
  });

  it('re-lists after 410 Gone and drops what was deleted in between', async () => {
    const dev = sim.cluster(DEV);
    dev.faults.set({ down: true });
    dev.faults.dropWatches();
    await waitFor(
      () => clusters(),
      items => items.find((c: any) => c.name === DEV)?.state === 'error',
      { what: 'the watch to break' },
    );
    dev.objects.delete(...CANARY, 'tenant-b', 'payments');
    dev.faults.forceGone();
    dev.counters.reset();
    dev.faults.set({ down: false });
    const state = await waitFor(
      () => entityState('payments'),
      s => s.clusters.every(c => c.canaries.length === 0),
      { what: 'the deleted canary to disappear' },
    );
    expect(state.explanation?.reason).toBe('noObjects');
    expect(
      dev.counters.snapshot().byVerbAndResource['list canaries.flagger.app'],
    ).toBeGreaterThan(0);
  });

  it('reports malformed status as problems without failing the response', async () => {
    sim.cluster(PROD).objects.patch(...CANARY, 'tenant-a', 'frontend', {
      status: { phase: 7, canaryWeight: 'lots', conditions: 'none' },
    });
    const state = await waitFor(
      () => entityState('frontend'),
      s => (s.clusters[0]?.canaries[0]?.progress.problems.length ?? 0) > 0,
      { what: 'the malformed canary' },
    );
    expect(
      state.clusters[0].canaries[0].progress.problems.map(p => p.field),
    ).toEqual(['status.phase', 'status.canaryWeight']);
  });
  it('follows a rollout of the simulated Flagger and keeps its events after Kubernetes deletes them', async () => {
    const objects = sim.cluster(DEV).objects;
    // A new pod template is a new revision: Flagger starts analysing it.
    objects.patch('apps/v1', 'Deployment', 'tenant-b', 'podinfo', {
      spec: {
        template: { metadata: { annotations: { 'example.com/rev': '2' } } },
      },
    });
    await sim.clock.advance(2 * 60_000);
    const status = simCanary(DEV, 'tenant-b', 'podinfo').status as any;
    expect(status.phase).toBe('Progressing');
    const canaryOf = (state: EntityDeliveryState) =>
      state.clusters.find(c => c.cluster === DEV)!.canaries[0];
    const canary = canaryOf(
      await waitFor(
        () => entityState('podinfo'),
        // The new rollout's state, not the previous rollout's (whose events may name the
        // same weight) while the watches are still delivering the new one. The routed weight
        // comes on the VirtualService's own watch, which may arrive after the event's.
        s =>
          canaryOf(s).progress.phase === 'Progressing' &&
          canaryOf(s).progress.canaryWeight === status.canaryWeight &&
          canaryOf(s).events.some(e =>
            e.message.includes(`canary weight ${status.canaryWeight}`),
          ),
        { what: 'the rollout events' },
      ),
    );
    expect(canary.progress).toMatchObject({
      phase: 'Progressing',
      activity: 'active',
      canaryWeight: status.canaryWeight,
      revision: { underAnalysis: true },
    });
    expect(canary.progress.steps[canary.progress.currentStepIndex].label).toBe(
      `${status.canaryWeight}%`,
    );
    expect(canary.progress.remainingMs).toBeGreaterThan(0);
    expect(canary.events[0].message).toBe(
      `Advance podinfo.tenant-b canary weight ${status.canaryWeight}`,
    );
    expect(canary.events[canary.events.length - 1].category).toBe(
      'newRevision',
    );

    const flaggerEvents = objects
      .list('v1', 'Event', 'tenant-b')
      .filter((e: any) => e.involvedObject?.kind === 'Canary');
    for (const e of flaggerEvents) {
      objects.delete('v1', 'Event', 'tenant-b', e.metadata.name!);
    }
    // The deletions have reached the watch when the Event watcher counts fewer objects.
    await waitFor(
      () => clusters(),
      items =>
        items
          .find((c: any) => c.name === DEV)
          .kinds.find((k: any) => k.kind === 'Event').objects === 0,
      { what: 'the event deletions' },
    );
    expect(canaryOf(await entityState('podinfo')).events).toEqual(
      canary.events,
    );
  });
});
