import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { Simulator } from '@internal/cluster-simulator';
import { Knex } from 'knex';
import { historyTestDatabases } from './__testUtils__/databases';
import {
  advanceUntil,
  ENTITIES,
  newRevision,
  phaseOf,
  PROD,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';
import request from 'supertest';

jest.setTimeout(120_000);

const databases = historyTestDatabases();
const MIN = 60_000;
const APP = 'http://localhost:3000';
const GATE_LINK = `${APP}/catalog/default/component/podinfo/delivery?cluster=${PROD}&canary=tenant-a/podinfo&action=approve`;

interface Sent {
  replica: string;
  options: NotificationSendOptions;
}

describe.each(databases.eachSupportedId())(
  'owner notifications on %s against the cluster simulator',
  id => {
    let sim: Simulator;
    let knex: Knex;
    const sent: Sent[] = [];
    const running: SimulatorBackend[] = [];
    /** The revision the test rolls out (the demo starts with podinfo's previous one promoted). */
    let revision = '';

    beforeAll(async () => {
      sim = await startDemoSimulator();
      knex = await databases.init(id);
    });

    afterAll(async () => {
      for (const backend of running.splice(0)) {
        await backend.stop();
      }
      await sim?.stop();
    });

    /** A backend replica whose notification service records what it is asked to send. */
    async function start(replica: string): Promise<SimulatorBackend> {
      const backend = await startSimulatorBackend(sim, {
        knex,
        features: [
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              send: async (options: NotificationSendOptions) => {
                sent.push({ replica, options });
              },
            }),
          }),
        ],
        config: { app: { baseUrl: APP } },
        progressiveDelivery: { notifications: { onSuccess: true } },
      });
      running.push(backend);
      return backend;
    }

    const ofPodinfo = (topic: string) =>
      sent.filter(
        s =>
          s.options.payload.topic === topic &&
          s.options.payload.metadata?.cluster === PROD &&
          s.options.payload.metadata?.canary === 'podinfo' &&
          s.options.payload.metadata?.revision === revision,
      );

    it('notifies team-a once, from one of two replicas, when podinfo waits at its promotion gate', async () => {
      await start('a');
      await start('b');
      newRevision(sim, PROD, 'tenant-a', 'podinfo');
      await advanceUntil(
        sim,
        () => phaseOf(sim, PROD, 'tenant-a', 'podinfo') === 'WaitingPromotion',
        { stepMs: MIN, what: 'podinfo to wait for promotion' },
      );
      revision = (
        sim
          .cluster(PROD)
          .objects.get('flagger.app/v1beta1', 'Canary', 'tenant-a', 'podinfo')!
          .status as { lastAppliedSpec: string }
      ).lastAppliedSpec;
      await waitFor(
        () => ofPodinfo('progressive-delivery:gate-waiting'),
        found => found.length > 0,
        { what: 'the gate notification' },
      );
      // Flagger sets the phase again every interval; both replicas see every change.
      await sim.clock.advance(3 * MIN);
      await new Promise(resolve => setTimeout(resolve, 1000));

      const gate = ofPodinfo('progressive-delivery:gate-waiting');
      expect(gate).toHaveLength(1);
      expect(gate[0].options).toEqual({
        recipients: { type: 'entity', entityRef: ['group:default/team-a'] },
        payload: {
          title: `podinfo waits for promotion approval (${PROD})`,
          description: `Revision ${revision} of canary tenant-a/podinfo in ${PROD} passed its analysis and waits at the gate promotion-gate (confirm-promotion) to be promoted. Approve it on the Delivery tab.`,
          link: GATE_LINK,
          severity: 'normal',
          topic: 'progressive-delivery:gate-waiting',
          scope: `progressive-delivery:rollout:${PROD}/tenant-a/podinfo@${revision}`,
          metadata: {
            entityRef: 'component:default/podinfo',
            cluster: PROD,
            namespace: 'tenant-a',
            canary: 'podinfo',
            revision,
            transition: 'gate-waiting:promotion-gate',
          },
        },
      });
      const rows = await knex('rollout_notifications').where({
        cluster: PROD,
        canary: 'podinfo',
        revision,
      });
      expect(rows.map(r => [r.transition, r.sent_at !== null])).toEqual([
        ['gate-waiting:promotion-gate', true],
      ]);
    });

    it('does not notify the waiting gate again after both replicas restart', async () => {
      for (const backend of running.splice(0)) {
        await backend.stop();
      }
      const before = sent.length;
      const restarted = await start('c');
      // The restarted backend has listed the waiting canary (it serves the gate as waiting).
      await waitFor(
        async () =>
          (
            await restarted.get('/v1/entities/component/default/podinfo')
          ).body,
        state =>
          state.clusters
            ?.find((c: any) => c.cluster === PROD)
            ?.canaries[0]?.progress.gates.some((g: any) => g.waiting),
        { what: 'the restarted backend to see the waiting gate' },
      );
      await sim.clock.advance(MIN);
      await new Promise(resolve => setTimeout(resolve, 1000));
      expect(
        sent.slice(before).map(s => s.options.payload.title),
      ).not.toContain(`podinfo waits for promotion approval (${PROD})`);
    });

    it('notifies the promotion once the gate is approved through the link target', async () => {
      const [backend] = running;
      const approved = await backend.post(
        `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/approve`,
        { entityRef: 'component:default/podinfo' },
      );
      expect(approved.status).toBe(200);
      await advanceUntil(
        sim,
        () => phaseOf(sim, PROD, 'tenant-a', 'podinfo') === 'Succeeded',
        { stepMs: MIN, what: 'podinfo to be promoted' },
      );
      const promoted = await waitFor(
        () => ofPodinfo('progressive-delivery:rollout-succeeded'),
        found => found.length > 0,
        { what: 'the success notification' },
      );
      expect(promoted).toHaveLength(1);
      expect(promoted[0].options.payload).toMatchObject({
        title: `podinfo promoted (${PROD})`,
        severity: 'low',
        link: `${APP}/catalog/default/component/podinfo/delivery?cluster=${PROD}&canary=tenant-a/podinfo`,
      });
      // One notification per transition over the whole test, whichever replica sent it.
      const keys = sent.map(s =>
        JSON.stringify([
          s.options.payload.scope,
          s.options.payload.metadata?.transition,
        ]),
      );
      expect(new Set(keys).size).toBe(keys.length);
    });
  },
);

/** team-a with its member, as the catalog relates them (the notifications backend reads these). */
const ORG: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: 'user:default/guest' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'guest', namespace: 'default' },
    spec: { memberOf: ['team-a'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-a' }],
  },
];

describe('owner notifications through the notifications backend', () => {
  let sim: Simulator;
  let backend: SimulatorBackend | undefined;

  beforeAll(async () => {
    sim = await startDemoSimulator();
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it("lists the gate in the guest's notifications, as the demo's notifications page reads them", async () => {
    backend = await startSimulatorBackend(sim, {
      entities: [...ENTITIES, ...ORG],
      features: [notificationsPlugin],
      config: { app: { baseUrl: APP } },
      progressiveDelivery: { notifications: { enabled: true } },
    });
    newRevision(sim, PROD, 'tenant-a', 'podinfo');
    await advanceUntil(
      sim,
      () => phaseOf(sim, PROD, 'tenant-a', 'podinfo') === 'WaitingPromotion',
      { stepMs: MIN, what: 'podinfo to wait for promotion' },
    );
    const listed = await waitFor(
      async () =>
        (
          await request(backend!.server)
            .get('/api/notifications/notifications')
            .set(
              'Authorization',
              mockCredentials.user.header('user:default/guest'),
            )
        ).body,
      body =>
        (body.notifications ?? []).some(
          (n: any) => n.payload.topic === 'progressive-delivery:gate-waiting',
        ),
      { what: "the gate in the guest's notifications" },
    );
    const gate = listed.notifications.filter(
      (n: any) => n.payload.topic === 'progressive-delivery:gate-waiting',
    );
    expect(gate).toHaveLength(1);
    expect(gate[0]).toMatchObject({
      user: 'user:default/guest',
      origin: 'plugin:progressive-delivery',
      payload: {
        title: `podinfo waits for promotion approval (${PROD})`,
        link: GATE_LINK,
        severity: 'normal',
      },
    });
  });
});
