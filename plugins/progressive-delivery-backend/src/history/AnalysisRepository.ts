// Wiring (composition root): use the instance the rollout repository holds,
// `(await RolloutRepository.create(options)).analysis`, so one set of migrations runs and the
// history's retention deletes points with their rollouts. The evaluator writes with
// `appendPoints` and reads the current rollout's evidence with `evidenceOf`.
import {
  AnalysisCheckEvidence,
  AnalysisFault,
  AnalysisPoint,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { FAILING_FAULT_KINDS } from './rolloutFailure';

const CHECKS = 'rollout_checks';
const POINTS = 'rollout_points';
const ROLLOUTS = 'rollouts';
/** Points kept per check and rollout by default: 500 at Flagger's 1m default interval is 8h. */
const MAX_POINTS_PER_CHECK = 500;
/** Rows per insert: SQLite allows 999 bound variables in a statement in older builds. */
const CHUNK = 50;

/** A rollout by its natural key, as in the `rollouts` table. */
export interface RolloutKey {
  cluster: string;
  namespace: string;
  canary: string;
  /** status.lastAppliedSpec of the rollout. */
  revision: string;
}

/** Options of {@link AnalysisRepository}. */
export interface AnalysisOptions {
  /** Points kept per check and rollout: at least 2; default 500. */
  maxPointsPerCheck?: number;
  /** The time of a check's creation when it comes without points. */
  now?: () => number;
}

/** One check of a rollout and the points to add to it. */
export interface CheckSeries {
  metric: string;
  unit?: 'percent' | 'milliseconds';
  range: { min?: number; max?: number };
  query?: { canary: string; primary: string };
  source?: string;
  points: AnalysisPoint[];
}

interface CheckRow {
  id: number | string;
  cluster: string;
  namespace: string;
  canary: string;
  revision: string;
  metric: string;
  position: number;
  unit: string | null;
  range_min: number | null;
  range_max: number | null;
  query_canary: string | null;
  query_primary: string | null;
  source: string | null;
}

interface PointRow {
  id?: number | string;
  check_id: number | string;
  at: number | string;
  canary_value: number | null;
  primary_value: number | null;
  verdict: string | null;
  canary_weight: number | null;
  fault_kind: string | null;
  fault_message: string | null;
  primary_fault_kind: string | null;
  primary_fault_message: string | null;
}

const SEP = '\u0000';
/** A map key of a rollout. */
export const rolloutKeyString = (k: RolloutKey) =>
  [k.cluster, k.namespace, k.canary, k.revision].join(SEP);

const keyOf = (k: RolloutKey): RolloutKey => ({
  cluster: k.cluster,
  namespace: k.namespace,
  canary: k.canary,
  revision: k.revision,
});

const num = (value: number | string | null) =>
  value === null ? undefined : Number(value);

function faultOf(kind: string | null, message: string | null) {
  return kind === null
    ? undefined
    : ({ kind, message: message ?? '' } as AnalysisFault);
}

function toPoint(row: PointRow): AnalysisPoint {
  const point: AnalysisPoint = { at: new Date(Number(row.at)).toISOString() };
  const optional: Partial<AnalysisPoint> = {
    canary: num(row.canary_value),
    primary: num(row.primary_value),
    verdict: (row.verdict ?? undefined) as AnalysisPoint['verdict'],
    canaryWeight: num(row.canary_weight),
    fault: faultOf(row.fault_kind, row.fault_message),
    primaryFault: faultOf(row.primary_fault_kind, row.primary_fault_message),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) {
      (point as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return point;
}

function toEvidence(
  check: CheckRow,
  points: AnalysisPoint[],
): AnalysisCheckEvidence {
  const range: AnalysisCheckEvidence['range'] = {};
  if (check.range_min !== null) range.min = Number(check.range_min);
  if (check.range_max !== null) range.max = Number(check.range_max);
  const evidence: AnalysisCheckEvidence = {
    metric: check.metric,
    range,
    points,
  };
  if (check.unit) evidence.unit = check.unit as AnalysisCheckEvidence['unit'];
  if (check.query_canary !== null && check.query_primary !== null) {
    evidence.query = {
      canary: check.query_canary,
      primary: check.query_primary,
    };
  }
  if (check.source !== null) evidence.source = check.source;
  const latest = points[points.length - 1];
  if (latest) {
    evidence.latest = latest;
    if (latest.fault) evidence.fault = latest.fault;
  }
  return evidence;
}

function pointRow(metric: string, checkId: number, point: AnalysisPoint) {
  const at = Date.parse(point.at);
  if (!Number.isFinite(at)) {
    throw new InputError(
      `point of check ${metric} has no valid time: at is "${point.at}"`,
    );
  }
  const row: PointRow = {
    check_id: checkId,
    at,
    canary_value: point.canary ?? null,
    primary_value: point.primary ?? null,
    verdict: point.verdict ?? null,
    canary_weight: point.canaryWeight ?? null,
    fault_kind: point.fault?.kind ?? null,
    fault_message: point.fault?.message ?? null,
    primary_fault_kind: point.primaryFault?.kind ?? null,
    primary_fault_message: point.primaryFault?.message ?? null,
  };
  return row;
}

/** Restricts a points query to failing points (see `isFailingPoint`), the same rule in SQL. */
function failing(query: Knex.QueryBuilder, prefix = ''): Knex.QueryBuilder {
  return query.where(b =>
    b
      .where(`${prefix}verdict`, 'fail')
      .orWhereIn(`${prefix}fault_kind`, [...FAILING_FAULT_KINDS]),
  );
}

/**
 * The measured points of each rollout's checks in the plugin database. A check is keyed by the
 * rollout's natural key and its metric name, a point by its check and time, so appending is
 * idempotent (a backfill that overlaps stored points adds nothing) and works before or after
 * the recorder writes the rollout row. Each check keeps at most `maxPointsPerCheck` points:
 * the oldest go first, never the last failing one (it explains a failure).
 */
export class AnalysisRepository {
  private readonly maxPoints: number;
  private readonly now: () => number;

  /** On a migrated database (see `RolloutRepository`, which runs the migrations). */
  constructor(private readonly db: Knex, options: AnalysisOptions = {}) {
    this.maxPoints = Math.max(
      2,
      options.maxPointsPerCheck ?? MAX_POINTS_PER_CHECK,
    );
    this.now = options.now ?? Date.now;
  }

  /**
   * Adds points to the rollout's checks, creating the checks. `checks` are in spec order (Flagger
   * runs them in that order); they may be a subset, e.g. only the checks with new points.
   */
  async appendPoints(
    rollout: RolloutKey,
    checks: CheckSeries[],
  ): Promise<void> {
    if (checks.length === 0) {
      return;
    }
    const key = keyOf(rollout);
    const now = this.now();
    const rows = checks.map((check, position) => {
      const times = check.points.map(p => Date.parse(p.at));
      return {
        ...key,
        metric: check.metric,
        position,
        unit: check.unit ?? null,
        range_min: check.range.min ?? null,
        range_max: check.range.max ?? null,
        query_canary: check.query?.canary ?? null,
        query_primary: check.query?.primary ?? null,
        source: check.source ?? null,
        last_at: times.filter(Number.isFinite).length
          ? Math.max(...times.filter(Number.isFinite))
          : now,
      };
    });
    await this.db(CHECKS)
      .insert(rows)
      .onConflict(['cluster', 'namespace', 'canary', 'revision', 'metric'])
      .merge(this.mergeCheck());
    const ids = await this.db<CheckRow>(CHECKS)
      .where(key)
      .whereIn(
        'metric',
        checks.map(c => c.metric),
      )
      .select('id', 'metric');
    const idOf = new Map(ids.map(r => [r.metric, Number(r.id)]));
    for (const check of checks) {
      const checkId = idOf.get(check.metric)!;
      const points = check.points.map(p => pointRow(check.metric, checkId, p));
      for (let i = 0; i < points.length; i += CHUNK) {
        await this.db(POINTS)
          .insert(points.slice(i, i + CHUNK))
          .onConflict(['check_id', 'at'])
          .ignore();
      }
      if (points.length > 0) {
        await this.prune(checkId);
      }
    }
  }

  private mergeCheck(): Record<string, Knex.Raw> {
    const r = (sql: string) => this.db.raw(sql);
    const t = CHECKS;
    return {
      // A check's index among the checks of one call is at most its index in the spec (a call
      // may leave out checks without a new point), and is it when all come: the highest seen.
      position: r(
        `CASE WHEN excluded.position > ${t}.position THEN excluded.position ELSE ${t}.position END`,
      ),
      range_min: r('excluded.range_min'),
      range_max: r('excluded.range_max'),
      unit: r(`COALESCE(excluded.unit, ${t}.unit)`),
      query_canary: r(`COALESCE(excluded.query_canary, ${t}.query_canary)`),
      query_primary: r(`COALESCE(excluded.query_primary, ${t}.query_primary)`),
      source: r(`COALESCE(excluded.source, ${t}.source)`),
      last_at: r(
        `CASE WHEN excluded.last_at > ${t}.last_at THEN excluded.last_at ELSE ${t}.last_at END`,
      ),
    };
  }

  /** Keeps the newest points of a check, and its last failing point. */
  private async prune(checkId: number): Promise<void> {
    const points = () => this.db<PointRow>(POINTS).where('check_id', checkId);
    const [{ n }] = await points().count({ n: '*' });
    if (Number(n) <= this.maxPoints) {
      return;
    }
    /** The time of the k-th newest point. */
    const newest = async (k: number) =>
      Number(
        (await points()
          .orderBy('at', 'desc')
          .offset(k - 1)
          .first('at'))!.at,
      );
    const lastFailing = await failing(points())
      .orderBy('at', 'desc')
      .first('id', 'at');
    let boundary = await newest(this.maxPoints);
    if (lastFailing && Number(lastFailing.at) < boundary) {
      boundary = await newest(this.maxPoints - 1);
    }
    await points()
      .andWhere('at', '<', boundary)
      .modify(q => {
        if (lastFailing) {
          q.whereNot('id', lastFailing.id!);
        }
      })
      .delete();
  }

  /**
   * The evidence of a rollout: its checks in spec order with their points, oldest first, and
   * the id of its `rollouts` row when the recorder has written it.
   */
  async evidenceOf(
    rollout: RolloutKey,
  ): Promise<{ rolloutId?: string; checks: AnalysisCheckEvidence[] }> {
    const key = keyOf(rollout);
    const checks = await this.db<CheckRow>(CHECKS)
      .where(key)
      .orderBy([{ column: 'position' }, { column: 'metric' }]);
    const points = checks.length
      ? await this.db<PointRow>(POINTS)
          .whereIn(
            'check_id',
            checks.map(c => c.id),
          )
          .orderBy([{ column: 'check_id' }, { column: 'at' }])
      : [];
    const byCheck = new Map<number, AnalysisPoint[]>();
    for (const row of points) {
      const list = byCheck.get(Number(row.check_id)) ?? [];
      list.push(toPoint(row));
      byCheck.set(Number(row.check_id), list);
    }
    const row = await this.db(ROLLOUTS).where(key).first('id');
    const evidence: { rolloutId?: string; checks: AnalysisCheckEvidence[] } = {
      checks: checks.map(c => toEvidence(c, byCheck.get(Number(c.id)) ?? [])),
    };
    if (row) {
      evidence.rolloutId = String(row.id);
    }
    return evidence;
  }

  /**
   * The failing points (see `isFailingPoint`) of each rollout up to `before` (epoch ms,
   * exclusive), as evidence per check in spec order, in one query for all of them.
   */
  async failingEvidence(
    rollouts: Array<RolloutKey & { before?: number }>,
  ): Promise<Map<string, AnalysisCheckEvidence[]>> {
    const found = new Map<string, AnalysisCheckEvidence[]>();
    if (rollouts.length === 0) {
      return found;
    }
    const rows: Array<CheckRow & PointRow> = await failing(
      this.db(`${POINTS} as p`).join(`${CHECKS} as c`, 'c.id', 'p.check_id'),
      'p.',
    )
      .where(b => {
        for (const r of rollouts) {
          b.orWhere(inner => {
            inner.where({
              'c.cluster': r.cluster,
              'c.namespace': r.namespace,
              'c.canary': r.canary,
              'c.revision': r.revision,
            });
            if (r.before !== undefined) {
              inner.andWhere('p.at', '<', r.before);
            }
          });
        }
      })
      .orderBy([
        { column: 'c.position' },
        { column: 'c.metric' },
        { column: 'p.at' },
      ])
      .select('c.*', 'p.check_id', 'p.at', 'p.canary_value', 'p.primary_value')
      .select('p.verdict', 'p.canary_weight', 'p.fault_kind', 'p.fault_message')
      .select('p.primary_fault_kind', 'p.primary_fault_message');
    const byCheck = new Map<string, AnalysisCheckEvidence>();
    for (const row of rows) {
      let evidence = byCheck.get(String(row.check_id));
      if (!evidence) {
        evidence = toEvidence(row, []);
        byCheck.set(String(row.check_id), evidence);
        const key = rolloutKeyString(row);
        found.set(key, [...(found.get(key) ?? []), evidence]);
      }
      evidence.points.push(toPoint(row));
    }
    return found;
  }

  /**
   * Deletes the checks and points of rollouts that ended before `cutoff`, and of rollouts never
   * recorded whose newest point is older than it. Runs before the rollouts are deleted.
   */
  async deleteOlderThan(
    cutoff: number,
  ): Promise<{ checks: number; points: number }> {
    const sameRollout =
      'r.cluster = c.cluster AND r.namespace = c.namespace AND r.canary = c.canary AND r.revision = c.revision';
    const expired = () =>
      this.db(`${CHECKS} as c`)
        .select('c.id')
        .where(b =>
          b
            .whereExists(q =>
              q
                .select(this.db.raw('1'))
                .from(`${ROLLOUTS} as r`)
                .whereRaw(sameRollout)
                .whereNotNull('r.ended_at')
                .andWhere('r.ended_at', '<', cutoff),
            )
            .orWhere(orphan =>
              orphan
                .whereNotExists(q =>
                  q
                    .select(this.db.raw('1'))
                    .from(`${ROLLOUTS} as r`)
                    .whereRaw(sameRollout),
                )
                .andWhere('c.last_at', '<', cutoff),
            ),
        );
    const points = await this.db(POINTS)
      .whereIn('check_id', expired())
      .delete();
    const checks = await this.db(CHECKS).whereIn('id', expired()).delete();
    return { checks, points };
  }
}
