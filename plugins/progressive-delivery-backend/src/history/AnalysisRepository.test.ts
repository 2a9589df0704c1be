import { AnalysisPoint } from '@progressive-delivery/plugin-progressive-delivery-common';
import { Knex } from 'knex';
import { historyTestDatabases } from '../__testUtils__/databases';
import { CheckSeries, RolloutKey } from './AnalysisRepository';
import { RolloutObservation } from './deriveRollout';
import { RolloutRepository } from './RolloutRepository';

jest.setTimeout(60_000);

const databases = historyTestDatabases();

const T0 = Date.parse('2026-08-10T09:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const ENTITY = 'component:default/podinfo';
const canaryKey = { cluster: 'prod', namespace: 'test', canary: 'podinfo' };
const rollout: RolloutKey = { ...canaryKey, revision: 'rev-2' };
const iso = (minute: number) => new Date(T0 + minute * MIN).toISOString();

const THRESHOLD_REASON =
  'Rolling back podinfo.test failed checks threshold reached 2 (last failed check: Halt podinfo.test advancement success rate 97.10% < 99%)';

function successRate(points: AnalysisPoint[]): CheckSeries {
  return {
    metric: 'request-success-rate',
    unit: 'percent',
    range: { min: 99 },
    query: {
      canary:
        'sum(rate(istio_requests_total{destination_workload="podinfo"}[1m]))',
      primary:
        'sum(rate(istio_requests_total{destination_workload="podinfo-primary"}[1m]))',
    },
    source: 'service proxy http://prometheus.istio-system:9090',
    points,
  };
}

function duration(points: AnalysisPoint[]): CheckSeries {
  return {
    metric: 'request-duration',
    unit: 'milliseconds',
    range: { max: 500 },
    points,
  };
}

const pass = (minute: number, weight = 10): AnalysisPoint => ({
  at: iso(minute),
  canary: 99.9,
  primary: 99.95,
  verdict: 'pass',
  canaryWeight: weight,
});
const fail = (minute: number, canary: number, weight = 20): AnalysisPoint => ({
  at: iso(minute),
  canary,
  primary: 99.8,
  verdict: 'fail',
  canaryWeight: weight,
});

function observation(
  overrides: Partial<RolloutObservation> = {},
): RolloutObservation {
  return {
    ...rollout,
    previousRevision: 'rev-1',
    startedAt: T0,
    outcome: 'progressing',
    maxWeight: 20,
    failedChecks: 0,
    startFromEvent: true,
    ...overrides,
  };
}

const failedObservation = (overrides: Partial<RolloutObservation> = {}) =>
  observation({
    outcome: 'failed',
    endedAt: T0 + 5 * MIN,
    failedChecks: 2,
    failureReason: THRESHOLD_REASON,
    ...overrides,
  });

describe.each(databases.eachSupportedId())('AnalysisRepository on %s', id => {
  let knex: Knex;

  async function repository(options?: { maxPointsPerCheck?: number }) {
    knex ??= await databases.init(id);
    return RolloutRepository.fromKnex(knex, options);
  }

  afterEach(async () => {
    if (!knex) return;
    await knex('rollout_points').delete();
    await knex('rollout_checks').delete();
    await knex('rollouts').delete();
  });

  const list = (repo: RolloutRepository, canaries = [canaryKey]) =>
    repo.listRollouts({ entityRef: ENTITY, canaries, limit: 10 });

  it('stores points before the rollout row exists, once each, and reads them oldest first', async () => {
    const [a, b] = [await repository(), await repository()];
    await a.analysis.appendPoints(rollout, [
      successRate([pass(2), pass(1)]),
      duration([{ at: iso(1), canary: 120, primary: 110, verdict: 'pass' }]),
    ]);
    expect((await a.analysis.evidenceOf(rollout)).rolloutId).toBeUndefined();

    // A backfill that overlaps, from another replica, adds only the new point.
    await b.analysis.appendPoints(rollout, [
      successRate([pass(2), pass(3), pass(1)]),
      duration([]),
    ]);
    await b.upsertRollout(observation(), ENTITY, T0);
    const [row] = (await list(a)).items;
    const evidence = await a.analysis.evidenceOf(rollout);
    expect(evidence.rolloutId).toBe(row.id);
    expect(evidence.checks.map(c => c.metric)).toEqual([
      'request-success-rate',
      'request-duration',
    ]);
    const [rate, latency] = evidence.checks;
    expect(rate.points.map(p => p.at)).toEqual([iso(1), iso(2), iso(3)]);
    expect(rate).toMatchObject({
      unit: 'percent',
      range: { min: 99 },
      query: successRate([]).query,
      source: 'service proxy http://prometheus.istio-system:9090',
      latest: pass(3),
    });
    expect(rate.points[0]).toEqual(pass(1));
    expect(latency).toEqual({
      metric: 'request-duration',
      unit: 'milliseconds',
      range: { max: 500 },
      points: [{ at: iso(1), canary: 120, primary: 110, verdict: 'pass' }],
      latest: { at: iso(1), canary: 120, primary: 110, verdict: 'pass' },
    });
    // Another rollout of the same canary has its own checks.
    const other = await a.analysis.evidenceOf({
      ...rollout,
      revision: 'rev-3',
    });
    expect(other).toEqual({ checks: [] });
  });

  it('keeps the spec order when a call leaves out the checks without new points', async () => {
    const repo = await repository();
    const latency = (minute: number) =>
      duration([{ at: iso(minute), canary: 120, verdict: 'pass' }]);
    await repo.analysis.appendPoints(rollout, [latency(1)]);
    await repo.analysis.appendPoints(rollout, [
      successRate([pass(2)]),
      latency(2),
    ]);
    await repo.analysis.appendPoints(rollout, [latency(3)]);
    const { checks } = await repo.analysis.evidenceOf(rollout);
    expect(checks.map(c => [c.metric, c.points.length])).toEqual([
      ['request-success-rate', 1],
      ['request-duration', 3],
    ]);
  });

  it('keeps faults, and a check whose last evaluation had one carries it', async () => {
    const repo = await repository();
    const fault = {
      kind: 'unreachable' as const,
      message:
        'request-success-rate: prometheus.istio-system:9090 in prod did not answer',
    };
    const primaryFault = {
      kind: 'no-values' as const,
      message: 'request-success-rate: no values for podinfo-primary',
    };
    await repo.analysis.appendPoints(rollout, [
      successRate([
        pass(1),
        { at: iso(2), fault, primaryFault, canaryWeight: 10 },
      ]),
    ]);
    const [check] = (await repo.analysis.evidenceOf(rollout)).checks;
    expect(check.fault).toEqual(fault);
    expect(check.latest).toEqual({
      at: iso(2),
      fault,
      primaryFault,
      canaryWeight: 10,
    });
  });

  it('refuses a point without a valid time, naming the check', async () => {
    const repo = await repository();
    await expect(
      repo.analysis.appendPoints(rollout, [
        duration([{ at: 'yesterday', canary: 1 }]),
      ]),
    ).rejects.toThrow(
      'point of check request-duration has no valid time: at is "yesterday"',
    );
  });

  it('bounds the points of a check, dropping the oldest but never the last failing one', async () => {
    const repo = await repository({ maxPointsPerCheck: 5 });
    await repo.analysis.appendPoints(rollout, [
      successRate([pass(0), fail(1, 97.1), fail(2, 96.5)]),
    ]);
    for (let minute = 3; minute < 13; minute++) {
      await repo.analysis.appendPoints(rollout, [successRate([pass(minute)])]);
    }
    let [check] = (await repo.analysis.evidenceOf(rollout)).checks;
    expect(check.points.map(p => p.at)).toEqual([
      iso(2),
      iso(9),
      iso(10),
      iso(11),
      iso(12),
    ]);
    expect(check.points[0]).toEqual(fail(2, 96.5));

    // A newer failing point takes over; the old one may go.
    await repo.analysis.appendPoints(rollout, [
      successRate([fail(13, 90), pass(14)]),
    ]);
    [check] = (await repo.analysis.evidenceOf(rollout)).checks;
    expect(check.points.map(p => p.at)).toEqual([
      iso(10),
      iso(11),
      iso(12),
      iso(13),
      iso(14),
    ]);
  });

  it('gives a failed rollout its failing check in the history, in one query for the page', async () => {
    const repo = await repository();
    const revisions = ['rev-2', 'rev-3', 'rev-4'];
    for (const [i, revision] of revisions.entries()) {
      const start = T0 + i * 10 * MIN;
      await repo.upsertRollout(
        failedObservation({
          revision,
          startedAt: start,
          endedAt: start + 5 * MIN,
        }),
        ENTITY,
        start,
      );
      await repo.analysis.appendPoints({ ...rollout, revision }, [
        successRate([
          pass(i * 10 + 1),
          fail(i * 10 + 3, 98 - i),
          fail(i * 10 + 4, 97 - i),
        ]),
        duration([{ at: iso(i * 10 + 4), canary: 120, verdict: 'pass' }]),
      ]);
    }
    const queries: string[] = [];
    const onQuery = (q: { sql: string }) => queries.push(q.sql);
    knex.on('query', onQuery);
    const { items } = await list(repo);
    knex.removeListener('query', onQuery);
    expect(queries.filter(sql => sql.includes('rollout_points'))).toHaveLength(
      1,
    );
    expect(items.map(r => [r.revision, r.failure?.value])).toEqual([
      ['rev-4', 95],
      ['rev-3', 96],
      ['rev-2', 97],
    ]);
    expect(items[2].failure).toEqual({
      metric: 'request-success-rate',
      unit: 'percent',
      value: 97,
      primary: 99.8,
      range: { min: 99 },
      canaryWeight: 20,
      at: iso(4),
    });
  });

  it('keeps a failed rollout\u2019s failure and points across a restart', async () => {
    const before = await repository();
    await before.analysis.appendPoints(rollout, [
      successRate([pass(1), fail(2, 98.2), fail(3, 97.1)]),
    ]);
    await before.upsertRollout(failedObservation(), ENTITY, T0);

    // A new backend on the same database: nothing in memory.
    const after = await repository();
    const [record] = (await list(after)).items;
    expect(record.outcome).toBe('failed');
    expect(record.failure).toMatchObject({
      metric: 'request-success-rate',
      value: 97.1,
      range: { min: 99 },
      at: iso(3),
    });
    expect(record.failure!.value!).toBeLessThan(record.failure!.range.min!);
    const found = await after.rolloutOf({
      id: record.id,
      entityRef: ENTITY,
      canaries: [],
    });
    expect(found).toEqual({ ...rollout, id: record.id });
    const { checks } = await after.analysis.evidenceOf(found!);
    expect(checks[0].points).toHaveLength(3);
  });

  it('finds a rollout by id only for its entity or the owner of its canary now', async () => {
    const repo = await repository();
    await repo.upsertRollout(observation(), ENTITY, T0);
    const [{ id: rolloutId }] = (await list(repo)).items;
    const other = 'component:default/other';
    expect(
      await repo.rolloutOf({ id: rolloutId, entityRef: other, canaries: [] }),
    ).toBeUndefined();
    expect(
      await repo.rolloutOf({
        id: rolloutId,
        entityRef: other,
        canaries: [canaryKey],
      }),
    ).toEqual({ ...rollout, id: rolloutId });
    expect(
      await repo.rolloutOf({
        id: String(Number(rolloutId) + 1),
        entityRef: ENTITY,
        canaries: [],
      }),
    ).toBeUndefined();
  });

  it('deletes points with their rollout, and those of rollouts never recorded by their time', async () => {
    const repo = await repository();
    const expired = { ...rollout, revision: 'rev-old' };
    const kept = { ...rollout, revision: 'rev-kept' };
    const orphanOld = { ...rollout, revision: 'rev-orphan-old' };
    const orphanNew = { ...rollout, revision: 'rev-orphan-new' };
    await repo.upsertRollout(
      failedObservation({ revision: expired.revision, endedAt: T0 + 5 * MIN }),
      ENTITY,
      T0,
    );
    await repo.upsertRollout(
      failedObservation({ revision: kept.revision, endedAt: T0 + 95 * DAY }),
      ENTITY,
      T0,
    );
    for (const key of [expired, kept, orphanOld]) {
      await repo.analysis.appendPoints(key, [
        successRate([pass(1), fail(2, 90)]),
      ]);
    }
    await repo.analysis.appendPoints(orphanNew, [
      successRate([{ ...pass(0), at: new Date(T0 + 91 * DAY).toISOString() }]),
    ]);
    const deleted = await repo.deleteOlderThan(T0 + 90 * DAY);
    expect(deleted).toEqual({ rollouts: 1, events: 0, points: 4 });
    const left = await knex('rollout_checks').select('revision');
    expect(left.map(r => r.revision).sort()).toEqual([
      'rev-kept',
      'rev-orphan-new',
    ]);
    const [{ n }] = await knex('rollout_points').count({ n: '*' });
    expect(Number(n)).toBe(3);
    expect(
      (await repo.analysis.evidenceOf(kept)).checks[0].points,
    ).toHaveLength(2);
    expect(
      (await repo.analysis.evidenceOf(orphanNew)).checks[0].points,
    ).toHaveLength(1);
  });
});
