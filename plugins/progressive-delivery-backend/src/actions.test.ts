import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices, ServiceMock } from '@backstage/backend-test-utils';
import {
  EntityDeliveryState,
  progressiveDeliveryCanaryApprovePermission,
  RolloutHistoryResponse,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator } from '@internal/cluster-simulator';
import {
  advanceUntil,
  CANARY,
  DEV,
  newRevision,
  phaseOf,
  PermissionRule,
  PROD,
  simCanary,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';
import request from 'supertest';

jest.setTimeout(60_000);

const MIN = 60_000;

describe('actions against the cluster simulator', () => {
  let sim: Simulator;
  let backend: SimulatorBackend;
  let auditor: ServiceMock<AuditorService>;
  const audited: Array<{
    options: Parameters<AuditorService['createEvent']>[0];
    success: jest.Mock;
    fail: jest.Mock;
  }> = [];
  const allow: { rule: PermissionRule } = { rule: () => true };

  beforeAll(async () => {
    sim = await startDemoSimulator();
    auditor = mockServices.auditor.mock({
      createEvent: async options => {
        const event = { options, success: jest.fn(), fail: jest.fn() };
        audited.push(event);
        return { success: event.success, fail: event.fail };
      },
    });
    backend = await startSimulatorBackend(sim, { allow, auditor });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  afterEach(() => {
    allow.rule = () => true;
    audited.splice(0);
  });

  async function entityState(name: string): Promise<EntityDeliveryState> {
    const res = await backend.get(`/v1/entities/component/default/${name}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  const canaryIn = (state: EntityDeliveryState, cluster: string) =>
    state.clusters.find(c => c.cluster === cluster)!.canaries[0];

  const loadtester = (cluster: string, namespace: string) =>
    sim.cluster(cluster).cluster.loadtester(namespace);

  it('approve moves the canary waiting at the promotion gate to promotion and success', async () => {
    newRevision(sim, PROD, 'tenant-a', 'podinfo');
    await advanceUntil(
      sim,
      () => phaseOf(sim, PROD, 'tenant-a', 'podinfo') === 'WaitingPromotion',
      { stepMs: MIN, what: 'podinfo to wait for promotion' },
    );
    await waitFor(
      () => entityState('podinfo'),
      s =>
        canaryIn(s, PROD).progress.gates.some(
          g => g.type === 'confirm-promotion' && g.waiting,
        ),
      { what: 'the backend to see the waiting gate' },
    );
    // Waiting stays waiting while nobody approves.
    await sim.clock.advance(3 * MIN);
    expect(phaseOf(sim, PROD, 'tenant-a', 'podinfo')).toBe('WaitingPromotion');

    const res = await backend.post(
      `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/approve`,
      { entityRef: 'component:default/podinfo' },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      action: 'approve',
      entityRef: 'component:default/podinfo',
      ref: {
        cluster: PROD,
        kind: 'Canary',
        namespace: 'tenant-a',
        name: 'podinfo',
      },
      webhook: { name: 'promotion-gate', type: 'confirm-promotion' },
    });
    expect(loadtester(PROD, 'tenant-a').isOpen('podinfo.tenant-a')).toBe(true);

    const phases = new Set<string>();
    await advanceUntil(
      sim,
      () => {
        phases.add(phaseOf(sim, PROD, 'tenant-a', 'podinfo'));
        return phaseOf(sim, PROD, 'tenant-a', 'podinfo') === 'Succeeded';
      },
      { stepMs: MIN, what: 'podinfo to be promoted' },
    );
    expect(phases).toContain('Promoting');
    // The canary's post-rollout hook closes the gate for the next revision.
    expect(loadtester(PROD, 'tenant-a').isOpen('podinfo.tenant-a')).toBe(false);

    expect(audited).toHaveLength(1);
    expect(audited[0].options).toMatchObject({
      eventId: 'canary-action',
      severityLevel: 'medium',
      meta: {
        actionType: 'approve',
        cluster: PROD,
        kind: 'Canary',
        namespace: 'tenant-a',
        name: 'podinfo',
        permission: 'progressive-delivery.canary.approve',
      },
    });
    expect(audited[0].options.request).toBeDefined();
    expect(audited[0].success).toHaveBeenCalledWith({
      meta: {
        entityRef: 'component:default/podinfo',
        result: expect.stringContaining('promotion-gate'),
      },
    });

    // The recorder keeps the approved rollout, with who approved it.
    const history = await waitFor(
      async () =>
        (
          await backend.get('/v1/entities/component/default/podinfo/history')
        ).body as RolloutHistoryResponse,
      h => h.items.some(r => r.cluster === PROD && r.outcome === 'succeeded'),
      { what: 'the approved rollout in the history' },
    );
    const rollout = history.items.find(r => r.cluster === PROD)!;
    expect(rollout).toMatchObject({
      canary: 'podinfo',
      namespace: 'tenant-a',
      entityRef: 'component:default/podinfo',
      outcome: 'succeeded',
      approvedBy: 'user:default/mock',
      maxWeight: 20,
      revision: (simCanary(sim, PROD, 'tenant-a', 'podinfo').status as any)
        .lastPromotedSpec,
    });
    expect(rollout.events.map(e => e.message)).toEqual(
      expect.arrayContaining([
        'Halt podinfo.tenant-a advancement waiting for promotion approval promotion-gate',
        'Confirm-promotion check promotion-gate passed',
        'Promotion completed! Scaling down podinfo.tenant-a',
      ]),
    );
  });

  it('rollback turns a progressing canary into Failed', async () => {
    newRevision(sim, DEV, 'tenant-b', 'payments');
    await advanceUntil(
      sim,
      () =>
        ((simCanary(sim, DEV, 'tenant-b', 'payments').status as any)
          ?.canaryWeight ?? 0) >= 10,
      { stepMs: 30_000, what: 'payments to take traffic' },
    );
    await waitFor(
      () => entityState('payments'),
      s => canaryIn(s, DEV).progress.phase === 'Progressing',
      { what: 'the backend to see payments progressing' },
    );
    const res = await backend.post(
      `/v1/clusters/${DEV}/namespaces/tenant-b/canaries/payments/rollback`,
    );
    expect(res.status).toBe(200);
    expect(res.body.webhook).toMatchObject({
      name: 'rollback-gate',
      type: 'rollback',
    });
    await advanceUntil(
      sim,
      () => phaseOf(sim, DEV, 'tenant-b', 'payments') === 'Failed',
      { stepMs: 30_000, maxSteps: 4, what: 'payments to roll back' },
    );
    const history = await waitFor(
      async () =>
        (
          await backend.get('/v1/entities/component/default/payments/history')
        ).body as RolloutHistoryResponse,
      h => h.items[0]?.outcome === 'failed' && !!h.items[0].failureReason,
      { what: 'the rolled back rollout in the history' },
    );
    expect(history.items[0]).toMatchObject({
      outcome: 'failed',
      rolledBackBy: 'user:default/mock',
      failureReason: 'Rolling back payments.tenant-b manual webhook invoked',
    });
    expect(history.items[0].maxWeight).toBeGreaterThanOrEqual(10);
  });

  it('refuses to roll back a canary that is not under analysis, and names the missing webhook', async () => {
    const rollback = await backend.post(
      `/v1/clusters/${DEV}/namespaces/tenant-b/canaries/payments/rollback`,
    );
    expect(rollback.status).toBe(409);
    expect(rollback.body.error.message).toMatch(
      /is Failed: Flagger only rolls back a revision under analysis/,
    );
    const approve = await backend.post(
      `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/frontend/approve`,
    );
    expect(approve.status).toBe(409);
    expect(approve.body.error.message).toContain(
      'has no confirm-rollout, confirm-traffic-increase or confirm-promotion webhook',
    );
    expect(approve.body.error.message).toContain(
      'type: confirm-promotion\n        url: http://flagger-loadtester.tenant-a/gate/check',
    );
    expect(audited.map(a => a.fail.mock.calls.length)).toEqual([1, 1]);
  });

  it('refuses a gate whose webhook URL points outside the cluster', async () => {
    const external = 'https://hooks.example.com/gate/check';
    const canary = simCanary(sim, DEV, 'tenant-b', 'checkout') as any;
    sim.cluster(DEV).objects.patch(...CANARY, 'tenant-b', 'checkout', {
      spec: {
        analysis: {
          ...canary.spec.analysis,
          webhooks: [
            ...canary.spec.analysis.webhooks,
            { name: 'external-gate', type: 'confirm-promotion', url: external },
          ],
        },
      },
    });
    newRevision(sim, DEV, 'tenant-b', 'checkout');
    // Flagger cannot reach the host either, so the canary waits at that gate.
    await advanceUntil(
      sim,
      () => phaseOf(sim, DEV, 'tenant-b', 'checkout') === 'WaitingPromotion',
      { stepMs: 30_000, what: 'checkout to wait for promotion' },
    );
    await waitFor(
      () => entityState('checkout'),
      s => canaryIn(s, DEV).progress.gates.some(g => g.waiting),
      { what: 'the backend to see the waiting gate' },
    );
    sim.cluster(DEV).counters.reset();
    const res = await backend.post(
      `/v1/clusters/${DEV}/namespaces/tenant-b/canaries/checkout/approve`,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `Refusing to call webhook external-gate of Canary tenant-b/checkout in ${DEV} at ${external}: host hooks.example.com is not a cluster-local service (<service>.<namespace>[.svc[.cluster.local]]). Only cluster-local services are called, through the API server's service proxy.`,
    );
    expect(sim.cluster(DEV).counters.snapshot().total).toBe(0);
    expect(audited[0].fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'ConflictError' }),
    });
  });

  it('answers 403 to a user without the permission, and audits the attempt', async () => {
    allow.rule = (permission, ref) =>
      !(
        permission === progressiveDeliveryCanaryApprovePermission.name &&
        ref === 'component:default/podinfo'
      );
    sim.cluster(PROD).counters.reset();
    const res = await backend.post(
      `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/approve`,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      `Not allowed to approve Canary tenant-a/podinfo in cluster ${PROD}: that needs the permission progressive-delivery.canary.approve on component:default/podinfo`,
    );
    expect(sim.cluster(PROD).counters.snapshot().total).toBe(0);
    expect(audited).toHaveLength(1);
    expect(audited[0].options.meta).toMatchObject({
      actionType: 'approve',
      name: 'podinfo',
    });
    expect(audited[0].success).not.toHaveBeenCalled();
    expect(audited[0].fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'NotAllowedError' }),
    });
  });

  it("halt closes the canary's confirm gates again", async () => {
    const gates = loadtester(PROD, 'tenant-a');
    // As if someone approved ahead of time.
    gates.handle({
      method: 'POST',
      path: '/gate/open',
      body: JSON.stringify({ name: 'podinfo', namespace: 'tenant-a' }),
    });
    expect(gates.isOpen('podinfo.tenant-a')).toBe(true);
    // No body at all is a valid request too.
    const res = await request(backend.server).post(
      `/api/progressive-delivery/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/halt`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      action: 'halt',
      webhook: { name: 'promotion-gate', type: 'confirm-promotion' },
      message:
        'Closed the gate promotion-gate: Flagger holds podinfo at its next gate.',
    });
    expect(gates.isOpen('podinfo.tenant-a')).toBe(false);
    expect(audited[0].options.meta).toMatchObject({
      actionType: 'halt',
      permission: 'progressive-delivery.canary.rollback',
    });
  });

  it('guards the history with the read permission', async () => {
    allow.rule = permission =>
      permission !== 'progressive-delivery.entity.read';
    expect(
      (await backend.get('/v1/entities/component/default/podinfo/history'))
        .status,
    ).toBe(403);
    expect(
      (
        await backend.get(
          '/v1/entities/component/default/podinfo/history/summary?days=30',
        )
      ).status,
    ).toBe(403);
    allow.rule = () => true;
    expect(
      (
        await backend.get(
          '/v1/entities/component/default/podinfo/history?limit=0',
        )
      ).status,
    ).toBe(400);
  });

  it('answers 404 for an unknown cluster or canary, 400 for an unknown action', async () => {
    const post = async (path: string) =>
      (await backend.post(`/v1/clusters/${path}`)).status;
    expect(
      await post('nowhere/namespaces/tenant-a/canaries/podinfo/approve'),
    ).toBe(404);
    expect(
      await post(`${PROD}/namespaces/tenant-a/canaries/nope/approve`),
    ).toBe(404);
    expect(
      await post(`${PROD}/namespaces/tenant-a/canaries/podinfo/promote`),
    ).toBe(400);
    expect(
      await post(`${PROD}/namespaces/tenant-a/deployments/podinfo/reconcile`),
    ).toBe(400);
  });

  describe('Flux', () => {
    async function fluxOwner() {
      const state = await entityState('podinfo');
      return canaryIn(state, PROD).fluxOwner!;
    }
    const simObject = (kind: string, ns: string, name: string) =>
      sim
        .cluster(PROD)
        .objects.list(
          kind === 'Kustomization'
            ? 'kustomize.toolkit.fluxcd.io/v1'
            : 'source.toolkit.fluxcd.io/v1',
          kind,
          ns,
        )
        .find(o => o.metadata.name === name) as any;

    it('reconcile (with its source) updates lastHandledReconcileAt', async () => {
      const owner = await fluxOwner();
      const res = await backend.post(
        `/v1/clusters/${PROD}/namespaces/${owner.namespace}/kustomizations/${owner.name}/reconcile`,
        { withSource: true },
      );
      expect(res.status).toBe(200);
      const { requestedAt, source } = res.body;
      expect(Date.parse(requestedAt)).not.toBeNaN();
      expect(source.kind).toBe('GitRepository');
      const kustomization = () =>
        simObject('Kustomization', owner.namespace, owner.name);
      expect(
        kustomization().metadata.annotations['reconcile.fluxcd.io/requestedAt'],
      ).toBe(requestedAt);
      await advanceUntil(
        sim,
        () => kustomization().status.lastHandledReconcileAt === requestedAt,
        { stepMs: 10_000, maxSteps: 12, what: 'Flux to handle the request' },
      );
      expect(
        simObject(source.kind, source.namespace, source.name).status
          .lastHandledReconcileAt,
      ).toBe(requestedAt);
      expect(audited[0].options).toMatchObject({
        eventId: 'flux-action',
        meta: { actionType: 'reconcile', kind: 'Kustomization' },
      });
    });

    it('suspend and resume flip spec.suspend; a suspended object is not reconciled', async () => {
      const owner = await fluxOwner();
      const path = `/v1/clusters/${PROD}/namespaces/${owner.namespace}/kustomizations/${owner.name}`;
      const suspend = await backend.post(`${path}/suspend`);
      expect(suspend.status).toBe(200);
      expect(suspend.body.suspended).toBe(true);
      expect(
        simObject('Kustomization', owner.namespace, owner.name).spec.suspend,
      ).toBe(true);

      await waitFor(
        () => entityState('podinfo'),
        s =>
          s.clusters
            .find(c => c.cluster === PROD)!
            .flux.some(f => f.ref.name === owner.name && f.readiness.suspended),
        { what: 'the backend to see the suspension' },
      );
      const refused = await backend.post(`${path}/reconcile`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        `Kustomization ${owner.namespace}/${owner.name} in ${PROD} is suspended (spec.suspend: true), so Flux would ignore a reconcile request. Resume it first.`,
      );

      const resume = await backend.post(`${path}/resume`);
      expect(resume.status).toBe(200);
      expect(resume.body).toMatchObject({ suspended: false });
      const resumed = simObject('Kustomization', owner.namespace, owner.name);
      expect(resumed.spec.suspend).toBe(false);
      expect(
        resumed.metadata.annotations['reconcile.fluxcd.io/requestedAt'],
      ).toBe(resume.body.requestedAt);
      expect(audited.map(a => a.options.meta?.actionType)).toEqual([
        'suspend',
        'reconcile',
        'resume',
      ]);
    });

    it('checks the flux permissions on the owning entity', async () => {
      const owner = await fluxOwner();
      allow.rule = permission =>
        permission !== 'progressive-delivery.flux.suspend';
      const res = await backend.post(
        `/v1/clusters/${PROD}/namespaces/${owner.namespace}/kustomizations/${owner.name}/suspend`,
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'progressive-delivery.flux.suspend on component:default/podinfo',
      );
      expect(
        simObject('Kustomization', owner.namespace, owner.name).spec.suspend,
      ).not.toBe(true);
    });
  });
});
