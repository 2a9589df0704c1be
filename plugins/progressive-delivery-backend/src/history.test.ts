import {
  RolloutHistoryResponse,
  RolloutRecord,
  RolloutSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator } from '@internal/cluster-simulator';
import { Knex } from 'knex';
import {
  advanceUntil,
  DEV,
  HEALTH_SUCCESS_RATE,
  newRevision,
  phaseOf,
  simCanary,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';
import { historyTestDatabases } from './__testUtils__/databases';

jest.setTimeout(90_000);

const databases = historyTestDatabases();
const STEP = 30_000;

describe.each(databases.eachSupportedId())(
  'rollout history on %s against the cluster simulator',
  id => {
    let sim: Simulator;
    let knex: Knex;
    const running: SimulatorBackend[] = [];

    beforeAll(async () => {
      sim = await startDemoSimulator();
      knex = await databases.init(id);
    });

    afterEach(async () => {
      for (const backend of running.splice(0)) {
        await backend.stop();
      }
    });

    afterAll(async () => {
      await sim?.stop();
    });

    async function start(): Promise<SimulatorBackend> {
      const backend = await startSimulatorBackend(sim, { knex });
      running.push(backend);
      return backend;
    }

    async function history(
      backend: SimulatorBackend,
      entity: string,
      query = '',
    ): Promise<RolloutHistoryResponse> {
      const res = await backend.get(
        `/v1/entities/component/default/${entity}/history${query}`,
      );
      expect(res.status).toBe(200);
      return res.body;
    }

    const waitForRollout = (
      backend: SimulatorBackend,
      entity: string,
      accept: (r: RolloutRecord) => boolean,
      what: string,
    ) =>
      waitFor(
        () => history(backend, entity),
        h => h.items.some(accept),
        { what },
      ).then(h => h.items.find(accept)!);

    /** The simulator's Flagger events of a canary with this message prefix, oldest first. */
    const simEvents = (name: string, prefix: string) =>
      sim
        .cluster(DEV)
        .objects.list('v1', 'Event', 'tenant-b')
        .filter(
          (e: any) =>
            e.involvedObject?.name === name && e.message.startsWith(prefix),
        )
        .map((e: any) => Date.parse(e.lastTimestamp))
        .sort((a, b) => a - b);

    const status = (name: string) =>
      simCanary(sim, DEV, 'tenant-b', name).status as Record<string, any>;

    it('records a full rollout and a failed rollout with the right fields', async () => {
      const backend = await start();
      const replaced = status('checkout').lastPromotedSpec;
      newRevision(sim, DEV, 'tenant-b', 'checkout');
      await advanceUntil(
        sim,
        () => phaseOf(sim, DEV, 'tenant-b', 'checkout') === 'Succeeded',
        { stepMs: STEP, what: 'checkout to be promoted' },
      );
      const full = await waitForRollout(
        backend,
        'checkout',
        // Events travel on their own watch: the status can finish the row before Flagger's
        // closing event is stored (both carry the same simulated time).
        r =>
          r.outcome === 'succeeded' &&
          r.events[r.events.length - 1]?.message.startsWith(
            'Promotion completed!',
          ),
        'the full rollout with its closing event',
      );
      const started = simEvents('checkout', 'New revision detected!').pop()!;
      const ended = simEvents('checkout', 'Promotion completed!').pop()!;
      expect(full).toMatchObject({
        cluster: DEV,
        namespace: 'tenant-b',
        canary: 'checkout',
        entityRef: 'component:default/checkout',
        revision: status('checkout').lastPromotedSpec,
        previousRevision: replaced,
        startedAt: new Date(started).toISOString(),
        endedAt: new Date(ended).toISOString(),
        durationMs: ended - started,
        maxWeight: 50,
        failedChecks: 0,
      });
      expect(full.failureReason).toBeUndefined();
      expect(full.approvedBy).toBeUndefined();
      expect(full.events[0].message).toBe(
        'New revision detected! Scaling up checkout.tenant-b',
      );
      expect(full.events[full.events.length - 1].message).toBe(
        'Promotion completed! Scaling down checkout.tenant-b',
      );
      expect(full.events.filter(e => e.category === 'advance')).toHaveLength(5);

      // A release whose success rate stays under the profile's 95 % fails its checks.
      newRevision(sim, DEV, 'tenant-b', 'podinfo', {
        [HEALTH_SUCCESS_RATE]: '80',
      });
      await advanceUntil(
        sim,
        () => phaseOf(sim, DEV, 'tenant-b', 'podinfo') === 'Failed',
        { stepMs: STEP, what: 'podinfo to fail' },
      );
      const failed = await waitForRollout(
        backend,
        'podinfo',
        r => r.cluster === DEV && r.outcome === 'failed' && !!r.failureReason,
        'the failed rollout',
      );
      expect(failed).toMatchObject({
        canary: 'podinfo',
        revision: status('podinfo').lastAppliedSpec,
        previousRevision: status('podinfo').lastPromotedSpec,
        failedChecks: 5,
        maxWeight: 10,
        endedAt: new Date(
          simEvents('podinfo', 'Canary failed!').pop()!,
        ).toISOString(),
      });
      expect(failed.failureReason).toMatch(
        /^Rolling back podinfo\.tenant-b failed checks threshold reached 5 \(last failed check: Halt podinfo\.tenant-b advancement success rate \d+\.\d\d% < 95%\)$/,
      );
      expect(failed.rolledBackBy).toBeUndefined();

      const summary: RolloutSummary = (
        await backend.get(
          '/v1/entities/component/default/checkout/history/summary?days=7',
        )
      ).body;
      expect(summary).toMatchObject({
        entityRef: 'component:default/checkout',
        days: 7,
        rollouts: 1,
        succeeded: 1,
        failed: 0,
        successRate: 1,
        rollbacks: 0,
        medianTimeToPromoteMs: full.durationMs,
      });
    });

    it('keeps a rollout that was in progress when the backend restarted', async () => {
      const first = await start();
      newRevision(sim, DEV, 'tenant-b', 'checkout');
      await advanceUntil(
        sim,
        () => (status('checkout').canaryWeight ?? 0) >= 20,
        {
          stepMs: STEP,
          what: 'checkout to take traffic',
        },
      );
      // Started at Flagger's "New revision detected!" event: until the watch delivers it, the
      // row's start is the status' transition time, which the event then moves earlier.
      const detectedAt = simEvents('checkout', 'New revision detected').pop();
      const before = await waitForRollout(
        first,
        'checkout',
        r =>
          r.outcome === 'progressing' &&
          r.maxWeight >= 20 &&
          Date.parse(r.startedAt) === detectedAt,
        'the rollout in progress, started at its event',
      );
      await first.stop();
      running.splice(running.indexOf(first), 1);

      await advanceUntil(
        sim,
        () => phaseOf(sim, DEV, 'tenant-b', 'checkout') === 'Succeeded',
        { stepMs: STEP, what: 'checkout to finish while no backend runs' },
      );
      const second = await start();
      const after = await waitForRollout(
        second,
        'checkout',
        r => r.id === before.id && r.outcome === 'succeeded',
        'the restarted backend to finish the same row',
      );
      expect(after).toMatchObject({
        revision: before.revision,
        startedAt: before.startedAt,
        maxWeight: 50,
      });
      const { items } = await history(second, 'checkout');
      expect(items.map(r => r.outcome)).toEqual(['succeeded', 'succeeded']);
    });

    it('two recorders on one database record each rollout once', async () => {
      const [a, b] = [await start(), await start()];
      newRevision(sim, DEV, 'tenant-b', 'checkout');
      await advanceUntil(
        sim,
        () =>
          phaseOf(sim, DEV, 'tenant-b', 'checkout') === 'Succeeded' &&
          status('checkout').lastPromotedSpec ===
            status('checkout').lastAppliedSpec,
        { stepMs: STEP, what: 'checkout to be promoted' },
      );
      const revision = status('checkout').lastAppliedSpec;
      for (const backend of [a, b]) {
        await waitForRollout(
          backend,
          'checkout',
          r => r.revision === revision && r.outcome === 'succeeded',
          'both replicas to record the rollout',
        );
      }
      const rows = await knex('rollouts')
        .where({ cluster: DEV, namespace: 'tenant-b', canary: 'checkout' })
        .select('revision');
      expect(rows).toHaveLength(3);
      expect(new Set(rows.map(r => r.revision)).size).toBe(3);
      const occurrences = await knex('rollout_events')
        .where({ cluster: DEV, namespace: 'tenant-b', canary: 'checkout' })
        .select('uid', 'occurrence');
      expect(
        new Set(occurrences.map(e => `${e.uid}/${e.occurrence}`)).size,
      ).toBe(occurrences.length);

      const page = await history(a, 'checkout', '?limit=2');
      expect(page.items).toHaveLength(2);
      expect(page.items[0].revision).toBe(revision);
      // Each rollout starts after the one before it ended, though Kubernetes folded their
      // "New revision detected!" events into one.
      expect(Date.parse(page.items[0].startedAt)).toBeGreaterThanOrEqual(
        Date.parse(page.items[1].endedAt!),
      );
      expect(page.items[0].events[0]).toMatchObject({
        message: 'New revision detected! Scaling up checkout.tenant-b',
        timestamp: page.items[0].startedAt,
        count: 1,
      });
      const rest = await history(
        a,
        'checkout',
        `?limit=2&cursor=${page.nextCursor}`,
      );
      expect(rest.items).toHaveLength(1);
      expect(rest.nextCursor).toBeUndefined();
    });
  },
);
