import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  KubeEvent,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import createKnex, { Knex } from 'knex';
import { historyTestDatabases } from '../__testUtils__/databases';
import { loadEvents, loadFixture } from '../__testUtils__/fixtures';
import { AnalysisRepository } from '../history/AnalysisRepository';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { NotificationLedger } from './NotificationLedger';
import { RolloutNotifier, RolloutNotifierOptions } from './RolloutNotifier';

jest.setTimeout(60_000);

const databases = historyTestDatabases();
const migrations = resolvePackagePath(
  '@progressive-delivery/plugin-progressive-delivery-backend',
  'migrations',
);

const ENTITY = 'component:default/podinfo';
const TEAM = 'group:default/team-a';
const BASE = 'http://localhost:3000';
const NOW = Date.parse('2026-08-10T09:20:30Z');
const ROLLOUT = {
  cluster: 'prod',
  namespace: 'test',
  canary: 'podinfo',
  revision: '5c8d4f7b9d',
};

/** The progressing fixture waiting at a promotion gate (webhook as in Flagger's docs). */
function waitingCanary(): KubeObject {
  const canary = loadFixture('flagger-canary-progressing.yaml');
  const spec = canary.spec as { analysis: Record<string, unknown> };
  spec.analysis.webhooks = [
    {
      name: 'promotion-gate',
      type: 'confirm-promotion',
      url: 'http://flagger-loadtester.test/gate/check',
    },
  ];
  canary.status = {
    ...(canary.status as object),
    phase: 'WaitingPromotion',
    canaryWeight: 0,
    lastTransitionTime: '2026-08-10T09:20:00Z',
  };
  return canary;
}

/** Resolves every caller once `n` callers wait: they reach the ledger together. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>(resolve => {
    open = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived >= n) {
      open();
    }
    return opened;
  };
}

/** One backend replica: its own watch cache and notifier, on the shared database. */
function replica(db: Knex, overrides: Partial<RolloutNotifierOptions> = {}) {
  const sent: NotificationSendOptions[] = [];
  const store = new ObjectStore();
  const events = new EventHistory();
  const notifier = new RolloutNotifier({
    store,
    events,
    ledger: new NotificationLedger(db),
    notifications: {
      send: async options => {
        sent.push(options);
      },
    },
    entityRefOf: async () => ENTITY,
    ownersOf: async () => [TEAM],
    config: { enabled: true, onSuccess: false, appBaseUrl: BASE },
    logger: mockServices.logger.mock(),
    now: () => NOW,
    timing: { retryMs: 5, reasonGraceMs: 0 },
    ...overrides,
  });
  notifier.start();
  const see = (canary: KubeObject, kubeEvents: KubeEvent[] = []) => {
    kubeEvents.forEach(e => events.upsert('prod', e));
    store.upsert('prod', canary);
  };
  return { sent, notifier, see };
}

const ledgerRows = (db: Knex) =>
  db('rollout_notifications').select(
    'transition',
    'claimed_by',
    'sent_at',
    'revision',
  );

describe.each(databases.eachSupportedId())(
  'RolloutNotifier on %s',
  databaseId => {
    let db: Knex;
    const stops: Array<() => unknown> = [];

    beforeEach(async () => {
      db = await databases.init(databaseId);
      await db.migrate.latest({ directory: migrations });
    });

    afterEach(async () => {
      for (const stop of stops.splice(0)) {
        await stop();
      }
    });

    /** A second connection pool to the same database where the engine allows (PostgreSQL). */
    function secondClient(): Knex {
      if (!databaseId.startsWith('POSTGRES')) {
        return db;
      }
      const other = createKnex(db.client.config);
      stops.push(() => other.destroy());
      return other;
    }

    it('sends one notification when two replicas race the same gate', async () => {
      const together = barrier(2);
      const ownersOf = async () => {
        await together();
        return [TEAM];
      };
      const a = replica(db, { ownersOf });
      const b = replica(secondClient(), { ownersOf });
      stops.push(
        () => a.notifier.stop(),
        () => b.notifier.stop(),
      );
      a.see(waitingCanary());
      b.see(waitingCanary());
      await Promise.all([a.notifier.idle(), b.notifier.idle()]);

      const sent = [...a.sent, ...b.sent];
      expect(sent).toHaveLength(1);
      expect(sent[0]).toEqual({
        recipients: { type: 'entity', entityRef: [TEAM] },
        payload: expect.objectContaining({
          title: 'podinfo waits for promotion approval (prod)',
          link: `${BASE}/catalog/default/component/podinfo/delivery?cluster=prod&canary=test/podinfo&action=approve`,
          topic: 'progressive-delivery:gate-waiting',
          severity: 'normal',
        }),
      });
      const rows = await ledgerRows(db);
      expect(rows).toEqual([
        expect.objectContaining({
          transition: 'gate-waiting:promotion-gate',
          revision: ROLLOUT.revision,
        }),
      ]);
      expect(Number(rows[0].sent_at)).toBe(NOW);

      // Flagger sets the phase again each interval: the same transition is not sent again.
      const later = waitingCanary();
      (later.status as Record<string, unknown>).lastTransitionTime =
        '2026-08-10T09:20:15Z';
      a.see(later);
      b.see(later);
      await Promise.all([a.notifier.idle(), b.notifier.idle()]);
      expect([...a.sent, ...b.sent]).toHaveLength(1);
    });

    it('does not notify again after a restart, but notifies the next transition', async () => {
      const first = replica(db);
      first.see(waitingCanary());
      await first.notifier.idle();
      first.notifier.stop();
      expect(first.sent).toHaveLength(1);

      // A new process lists the same state at start-up.
      const restarted = replica(db);
      stops.push(() => restarted.notifier.stop());
      restarted.see(waitingCanary());
      await restarted.notifier.idle();
      expect(restarted.sent).toHaveLength(0);

      restarted.see(
        loadFixture('flagger-canary-failed.yaml'),
        loadEvents('podinfo.failure'),
      );
      await restarted.notifier.idle();
      expect(restarted.sent.map(s => s.payload.topic)).toEqual([
        'progressive-delivery:rollout-failed',
      ]);
    });

    it('releases the claim of a failed send and sends on a later attempt', async () => {
      let calls = 0;
      const sent: NotificationSendOptions[] = [];
      const r = replica(db, {
        notifications: {
          send: async options => {
            calls += 1;
            if (calls === 1) {
              throw new Error('notifications backend unavailable');
            }
            sent.push(options);
          },
        },
      });
      stops.push(() => r.notifier.stop());
      r.see(waitingCanary());
      for (let i = 0; i < 100 && sent.length === 0; i++) {
        await new Promise(resolve => setTimeout(resolve, 10));
        await r.notifier.idle();
      }
      expect(calls).toBe(2);
      expect(sent).toHaveLength(1);
      const rows = await ledgerRows(db);
      expect(rows).toHaveLength(1);
      expect(Number(rows[0].sent_at)).toBe(NOW);
    });

    it('names the failing check from the stored evidence', async () => {
      await new AnalysisRepository(db).appendPoints(ROLLOUT, [
        {
          metric: 'request-success-rate',
          unit: 'percent',
          range: { min: 99 },
          points: [
            {
              at: '2026-08-10T09:14:00Z',
              canary: 84.7,
              primary: 99.9,
              verdict: 'fail',
              canaryWeight: 10,
            },
            // After Flagger's end of the rollout: not what failed it.
            {
              at: '2026-08-10T09:16:00Z',
              canary: 12,
              verdict: 'fail',
              canaryWeight: 10,
            },
          ],
        },
      ]);
      const r = replica(db, { evidence: new AnalysisRepository(db) });
      stops.push(() => r.notifier.stop());
      r.see(
        loadFixture('flagger-canary-failed.yaml'),
        loadEvents('podinfo.failure'),
      );
      await r.notifier.idle();
      expect(r.sent).toHaveLength(1);
      expect(r.sent[0].payload).toMatchObject({
        title: 'podinfo rolled back (prod)',
        description:
          'The revision 5c8d4f7b9d of canary test/podinfo in prod failed and was rolled back: request-success-rate 84.7 % < 99 % at 10 % of traffic.',
        severity: 'high',
        link: `${BASE}/catalog/default/component/podinfo/delivery?cluster=prod&canary=test/podinfo`,
      });
    });
  },
);

describe('RolloutNotifier decisions', () => {
  let db: Knex;

  beforeEach(async () => {
    db = await databases.init('SQLITE_3');
    await db.migrate.latest({ directory: migrations });
  });

  it('waits for Flagger to explain a failure, then names the reason', async () => {
    const r = replica(db, { timing: { reasonGraceMs: 60_000, retryMs: 5 } });
    r.see(loadFixture('flagger-canary-failed.yaml'));
    await r.notifier.idle();
    expect(r.sent).toHaveLength(0);
    r.see(
      loadFixture('flagger-canary-failed.yaml'),
      loadEvents('podinfo.failure'),
    );
    await r.notifier.idle();
    r.notifier.stop();
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0].payload.description).toContain(
      'failed checks threshold reached 15',
    );
  });

  it('sends a failure without a reason once the grace is over', async () => {
    let clock = NOW;
    const r = replica(db, {
      timing: { reasonGraceMs: 20, retryMs: 5 },
      now: () => clock,
    });
    r.see(loadFixture('flagger-canary-failed.yaml'));
    await r.notifier.idle();
    expect(r.sent).toHaveLength(0);
    clock += 20;
    for (let i = 0; i < 100 && r.sent.length === 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
      await r.notifier.idle();
    }
    r.notifier.stop();
    expect(r.sent.map(s => s.payload.description)).toEqual([
      "The revision 5c8d4f7b9d of canary test/podinfo in prod failed and was rolled back: Flagger's events give no reason.",
    ]);
  });

  it('sends a success only with onSuccess, and nothing for old transitions or when disabled', async () => {
    const succeeded = loadFixture('flagger-canary-succeeded.yaml');
    const events = loadEvents('podinfo.success');
    const quiet = replica(db);
    quiet.see(succeeded, events);
    await quiet.notifier.idle();
    quiet.notifier.stop();
    expect(quiet.sent).toHaveLength(0);

    const old = replica(db, {
      config: { enabled: true, onSuccess: true, appBaseUrl: BASE },
      now: () => Date.parse('2026-08-12T09:13:00Z'),
    });
    old.see(succeeded, events);
    await old.notifier.idle();
    old.notifier.stop();
    expect(old.sent).toHaveLength(0);

    const off = replica(db, {
      config: { enabled: false, onSuccess: true, appBaseUrl: BASE },
    });
    off.see(succeeded, events);
    await off.notifier.idle();
    expect(off.sent).toHaveLength(0);

    const loud = replica(db, {
      config: { enabled: true, onSuccess: true, appBaseUrl: BASE },
    });
    loud.see(succeeded, events);
    await loud.notifier.idle();
    loud.notifier.stop();
    expect(loud.sent.map(s => [s.payload.topic, s.payload.severity])).toEqual([
      ['progressive-delivery:rollout-succeeded', 'low'],
    ]);
  });

  it('tries again while no catalog entity owns the canary, and tells no one without owners', async () => {
    const catalog: { entityRef?: string } = {};
    const r = replica(db, { entityRefOf: async () => catalog.entityRef });
    r.see(waitingCanary());
    await r.notifier.idle();
    expect(r.sent).toHaveLength(0);
    catalog.entityRef = ENTITY;
    for (let i = 0; i < 100 && r.sent.length === 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
      await r.notifier.idle();
    }
    r.notifier.stop();
    expect(r.sent).toHaveLength(1);

    const other = await databases.init('SQLITE_3');
    await other.migrate.latest({ directory: migrations });
    const ownersOf = jest.fn(async () => []);
    const ownerless = replica(other, { ownersOf });
    ownerless.see(waitingCanary());
    await ownerless.notifier.idle();
    ownerless.notifier.stop();
    expect(ownersOf).toHaveBeenCalledWith(ENTITY);
    expect(ownerless.sent).toHaveLength(0);
    expect(await ledgerRows(other)).toEqual([]);
  });
});
