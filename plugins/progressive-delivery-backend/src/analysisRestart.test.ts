import {
  CanaryAnalysisEvidence,
  EntityDeliveryState,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator } from '@internal/cluster-simulator';
import { Knex } from 'knex';
import { historyTestDatabases } from './__testUtils__/databases';
import {
  FakePrometheus,
  startFakePrometheus,
} from './__testUtils__/fakePrometheus';
import {
  advanceUntil,
  CANARY,
  DEV,
  HEALTH_SUCCESS_RATE,
  newRevision,
  phaseOf,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';

/*
 * The evaluator's points outlive the rollout and the process: payments' bad release in
 * dev-eu-1 is measured while Flagger analyses it, rolled back, and after a backend restart on
 * the same database its failing values are still shown, loaded from the points the evaluator
 * wrote, without a query. Prometheus is a stand-in here (the values against a real Prometheus
 * are analysis.test.ts's): the canary answers 88.2 %, the primary 99.6 %.
 */

jest.setTimeout(120_000);

const databases = historyTestDatabases();
const PAYMENTS = '/v1/entities/component/default/payments';
const STEP = 30_000;

describe.each(databases.eachSupportedId())(
  "a failed rollout's measured values on %s",
  id => {
    let sim: Simulator;
    let knex: Knex;
    let prometheus: FakePrometheus;
    const running: SimulatorBackend[] = [];

    beforeAll(async () => {
      sim = await startDemoSimulator();
      knex = await databases.init(id);
      prometheus = await startFakePrometheus(query => {
        if (query.includes('histogram_quantile')) {
          return 310;
        }
        return query.includes('payments-primary') ? 99.6 : 88.2;
      });
    });

    afterAll(async () => {
      for (const backend of running.splice(0)) {
        await backend.stop();
      }
      await prometheus?.stop();
      await sim?.stop();
    });

    async function start() {
      const backend = await startSimulatorBackend(sim, {
        knex,
        analysis: {
          clusters: { [DEV]: { prometheus: { url: prometheus.url } } },
        },
      });
      running.push(backend);
      return backend;
    }

    const analysisOf = async (backend: SimulatorBackend) => {
      const state = (await backend.get(PAYMENTS)).body as EntityDeliveryState;
      return state.clusters
        ?.find(c => c.cluster === DEV)
        ?.canaries.find(c => c.ref.name === 'payments')?.analysis;
    };
    const successOf = (analysis: CanaryAnalysisEvidence | undefined) =>
      analysis?.checks.find(c => c.metric === 'request-success-rate');

    it('keeps the value that failed it after the rollback and a restart', async () => {
      newRevision(sim, DEV, 'tenant-b', 'payments', {
        [HEALTH_SUCCESS_RATE]: '80',
      });
      const weight = () =>
        (
          sim.cluster(DEV).objects.get(...CANARY, 'tenant-b', 'payments') as {
            status?: { canaryWeight?: number };
          }
        ).status?.canaryWeight ?? 0;
      await advanceUntil(
        sim,
        () =>
          phaseOf(sim, DEV, 'tenant-b', 'payments') === 'Progressing' &&
          weight() > 0,
        { stepMs: STEP, what: 'payments to take traffic' },
      );

      const first = await start();
      const measured = await waitFor(
        () => analysisOf(first),
        a => successOf(a)?.latest !== undefined,
        { what: "payments' first measurement", timeoutMs: 20_000 },
      );
      expect(measured!.evaluating).toBe(true);
      expect(successOf(measured)!.latest).toMatchObject({
        canary: 88.2,
        primary: 99.6,
        verdict: 'fail',
        canaryWeight: weight(),
      });
      const revision = measured!.revision;

      await advanceUntil(
        sim,
        () => phaseOf(sim, DEV, 'tenant-b', 'payments') === 'Failed',
        { stepMs: STEP, what: 'payments to be rolled back' },
      );
      const afterRollback = await waitFor(
        () => analysisOf(first),
        a => a?.evaluating === false,
        { what: 'the evaluation to stop' },
      );
      expect(afterRollback!.revision).toBe(revision);
      expect(successOf(afterRollback)!.latest).toMatchObject({
        canary: 88.2,
        verdict: 'fail',
      });

      await first.stop();
      running.splice(running.indexOf(first), 1);
      const queries = prometheus.calls.length;
      const second = await start();
      const restored = await waitFor(
        () => analysisOf(second),
        a => successOf(a)?.latest !== undefined,
        { what: 'the stored evidence', timeoutMs: 20_000 },
      );
      expect(restored).toMatchObject({
        revision,
        evaluating: false,
        rolloutId: expect.stringMatching(/^\d+$/),
      });
      expect(successOf(restored)!.latest).toEqual(
        successOf(afterRollback)!.latest,
      );
      for (let view = 0; view < 5; view++) {
        await analysisOf(second);
      }
      // Nothing under analysis, and views read memory: not one query since the restart.
      expect(prometheus.calls.length).toBe(queries);
    });
  },
);
