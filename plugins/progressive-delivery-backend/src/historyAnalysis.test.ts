import {
  AnalysisPoint,
  RolloutAnalysisResponse,
  RolloutHistoryResponse,
  RolloutRecord,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator } from '@internal/cluster-simulator';
import { Knex } from 'knex';
import { historyTestDatabases } from './__testUtils__/databases';
import {
  advanceUntil,
  DEV,
  HEALTH_SUCCESS_RATE,
  newRevision,
  phaseOf,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';
import { RolloutRepository } from './history/RolloutRepository';

jest.setTimeout(120_000);

const databases = historyTestDatabases();
const STEP = 30_000;
const PODINFO = '/v1/entities/component/default/podinfo';

/**
 * The analysis evidence of a failed rollout over HTTP: the points are written through the
 * repository on the backend's own database (as the evaluator writes them), the rollout by the
 * recorder following the simulator's Flagger; both are read back after a backend restart.
 */
describe.each(databases.eachSupportedId())(
  'rollout analysis evidence on %s through the plugin',
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

    async function start(
      options: Parameters<typeof startSimulatorBackend>[1] = {},
    ) {
      const backend = await startSimulatorBackend(sim, { knex, ...options });
      running.push(backend);
      return backend;
    }

    const failedRollout = (backend: SimulatorBackend, revision: string) =>
      waitFor(
        async () =>
          (await backend.get(`${PODINFO}/history`))
            .body as RolloutHistoryResponse,
        h =>
          h.items.some(
            r =>
              r.revision === revision &&
              r.outcome === 'failed' &&
              r.failureReason !== undefined,
          ),
        { what: 'the failed rollout' },
      ).then(h => h.items.find(r => r.revision === revision)!);

    /** Points over the rollout, the success rate falling under the profile's 95 %. */
    function pointsOver(rollout: RolloutRecord): AnalysisPoint[] {
      const from = Date.parse(rollout.startedAt);
      const to = Date.parse(rollout.endedAt!);
      const at = (share: number) =>
        new Date(Math.round(from + (to - from) * share)).toISOString();
      return [
        {
          at: at(0.2),
          canary: 99.9,
          primary: 99.95,
          verdict: 'pass',
          canaryWeight: 5,
        },
        {
          at: at(0.6),
          canary: 81.2,
          primary: 99.95,
          verdict: 'fail',
          canaryWeight: 10,
        },
        {
          at: at(0.9),
          canary: 80.4,
          primary: 99.9,
          verdict: 'fail',
          canaryWeight: 10,
        },
      ];
    }

    it('serves the points of a failed rollout and its failing check, also after a restart', async () => {
      const first = await start();
      newRevision(sim, DEV, 'tenant-b', 'podinfo', {
        [HEALTH_SUCCESS_RATE]: '80',
      });
      await advanceUntil(
        sim,
        () => phaseOf(sim, DEV, 'tenant-b', 'podinfo') === 'Failed',
        { stepMs: STEP, what: 'podinfo to fail' },
      );
      const canary = sim
        .cluster(DEV)
        .objects.get(
          'flagger.app/v1beta1',
          'Canary',
          'tenant-b',
          'podinfo',
        ) as any;
      const revision: string = canary.status.lastAppliedSpec;
      const rollout = await failedRollout(first, revision);
      const points = pointsOver(rollout);
      const repository = await RolloutRepository.fromKnex(knex);
      await repository.analysis.appendPoints(
        { cluster: DEV, namespace: 'tenant-b', canary: 'podinfo', revision },
        [
          {
            metric: 'request-success-rate',
            unit: 'percent',
            range: { min: 95 },
            points: [points[2], points[0], points[1]],
          },
        ],
      );

      const res = await first.get(`${PODINFO}/history/${rollout.id}/analysis`);
      expect(res.status).toBe(200);
      const analysis: RolloutAnalysisResponse = res.body;
      expect(analysis.rolloutId).toBe(rollout.id);
      const check = analysis.checks.find(
        c => c.metric === 'request-success-rate',
      )!;
      expect(check).toMatchObject({ unit: 'percent', range: { min: 95 } });
      expect(check.points).toEqual(expect.arrayContaining(points));
      const times = check.points.map(p => Date.parse(p.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));

      await first.stop();
      running.splice(running.indexOf(first), 1);
      const second = await start();
      const after = await failedRollout(second, revision);
      expect(after.id).toBe(rollout.id);
      expect(after.failure).toMatchObject({
        metric: 'request-success-rate',
        unit: 'percent',
        range: { min: 95 },
      });
      expect(after.failure!.value!).toBeLessThan(95);
      expect(Date.parse(after.failure!.at)).toBeLessThanOrEqual(
        Date.parse(after.endedAt!) + 1000,
      );
      const again = await second.get(
        `${PODINFO}/history/${rollout.id}/analysis`,
      );
      expect(again.body).toEqual(analysis);

      // Not a rollout of another entity; not an id at all.
      const other = await second.get(
        `/v1/entities/component/default/checkout/history/${rollout.id}/analysis`,
      );
      expect(other.status).toBe(404);
      expect(other.body.error.message).toBe(
        `rollout ${rollout.id} is not a recorded rollout of component:default/checkout`,
      );
      expect(
        (await second.get(`${PODINFO}/history/999999999/analysis`)).status,
      ).toBe(404);
      expect(
        (await second.get(`${PODINFO}/history/latest/analysis`)).status,
      ).toBe(400);
    });

    it('answers 403 when the caller may not read the entity', async () => {
      const backend = await start({
        allow: {
          rule: (permission, ref) =>
            !(
              permission === 'progressive-delivery.entity.read' &&
              ref === 'component:default/podinfo'
            ),
        },
      });
      const res = await backend.get(`${PODINFO}/history/1/analysis`);
      expect(res.status).toBe(403);
    });
  },
);
