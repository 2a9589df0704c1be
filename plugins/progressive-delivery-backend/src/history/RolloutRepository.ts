import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  CanaryEvent,
  RolloutEvent,
  RolloutOutcome,
  RolloutRecord,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  AnalysisOptions,
  AnalysisRepository,
  RolloutKey,
  rolloutKeyString,
} from './AnalysisRepository';
import { RolloutObservation } from './deriveRollout';
import {
  RolloutChangesColumns,
  RolloutChangesRepository,
  storedChanges,
} from './RolloutChangesRepository';
import {
  failedOnChecks,
  failureWindowEnd,
  rolloutFailure,
} from './rolloutFailure';
import {
  CanaryKey,
  decodeCursor,
  encodeCursor,
  ofEntity,
} from './rolloutQueries';

export type { CanaryKey } from './rolloutQueries';

const migrationsDir = resolvePackagePath(
  '@progressive-delivery/plugin-progressive-delivery-backend',
  'migrations',
);

const ROLLOUTS = 'rollouts';
const EVENTS = 'rollout_events';

interface RolloutRow extends Partial<RolloutChangesColumns> {
  id: number | string;
  cluster: string;
  namespace: string;
  canary: string;
  revision: string;
  previous_revision: string | null;
  entity_ref: string | null;
  started_at: number | string;
  ended_at: number | string | null;
  outcome: string;
  max_weight: number;
  failed_checks: number;
  failure_reason: string | null;
  approved_by: string | null;
  approved_at: number | string | null;
  rolled_back_by: string | null;
  rolled_back_at: number | string | null;
}

interface EventRow {
  cluster: string;
  namespace: string;
  canary: string;
  uid: string;
  occurrence: number;
  timestamp: number | string;
  type: string;
  reason: string;
  message: string;
  category: string;
}

/** A stored Flagger event of one canary. */
export interface StoredEvent extends CanaryEvent {
  uid: string;
}

// PostgreSQL returns bigint columns as strings.
const ms = (value: number | string | null | undefined) =>
  value === null || value === undefined ? undefined : Number(value);
const iso = (value: number | string | null | undefined) => {
  const n = ms(value);
  return n === undefined ? undefined : new Date(n).toISOString();
};

/** One timeline entry per event: its latest occurrence in the window, counted. */
function collapseOccurrences(rows: EventRow[]): RolloutEvent[] {
  const byUid = new Map<string, { row: EventRow; first: number }>();
  for (const row of rows) {
    const seen = byUid.get(row.uid);
    if (!seen) {
      byUid.set(row.uid, { row, first: row.occurrence });
    } else if (row.occurrence > seen.row.occurrence) {
      seen.row = row;
    }
  }
  return [...byUid.values()]
    .map(({ row, first }) => ({
      type: row.type === 'Warning' ? ('Warning' as const) : ('Normal' as const),
      reason: row.reason,
      message: row.message,
      category: row.category,
      timestamp: iso(row.timestamp)!,
      count: row.occurrence - first + 1,
    }))
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
}

const keyOf = (r: RolloutKey): RolloutKey => ({
  cluster: r.cluster,
  namespace: r.namespace,
  canary: r.canary,
  revision: r.revision,
});

/**
 * The rollout history in the plugin's database (SQLite or PostgreSQL). Every write is an
 * upsert keyed on a unique constraint whose merge never moves a row backwards, so several
 * backend replicas recording the same clusters write each rollout once and agree on it.
 */
export class RolloutRepository {
  /** The measured points of the rollouts' checks, on the same database. */
  readonly analysis: AnalysisRepository;
  /** What changed in the rollouts, on their rows. */
  readonly changes: RolloutChangesRepository;

  private constructor(
    private readonly db: Knex,
    analysisOptions?: AnalysisOptions,
  ) {
    this.analysis = new AnalysisRepository(db, analysisOptions);
    this.changes = new RolloutChangesRepository(db);
  }

  static async create(options: {
    database: DatabaseService;
    /** Options of the analysis points kept with the rollouts (see {@link AnalysisRepository}). */
    analysis?: AnalysisOptions;
  }): Promise<RolloutRepository> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({ directory: migrationsDir });
    }
    return new RolloutRepository(db, options.analysis);
  }

  /** For tests: a repository on a knex client, migrated. */
  static async fromKnex(
    db: Knex,
    analysisOptions?: AnalysisOptions,
  ): Promise<RolloutRepository> {
    await db.migrate.latest({ directory: migrationsDir });
    return new RolloutRepository(db, analysisOptions);
  }

  /**
   * Records what was observed of a rollout. A finished rollout never seen in progress is
   * only inserted when its start is known from events; otherwise only an existing row is
   * updated. Resolves whether the rollout has a row now. With `fillEntityRef` (the default),
   * the canary's rows recorded without an owner get `entityRef`; a caller that knows which
   * canaries have such rows ({@link canariesWithoutEntityRef}) turns it off for the others.
   */
  async upsertRollout(
    observation: RolloutObservation,
    entityRef: string | undefined,
    now: number,
    options: { fillEntityRef?: boolean } = {},
  ): Promise<boolean> {
    const row = {
      cluster: observation.cluster,
      namespace: observation.namespace,
      canary: observation.canary,
      revision: observation.revision,
      previous_revision: observation.previousRevision ?? null,
      entity_ref: entityRef ?? null,
      started_at: observation.startedAt,
      ended_at: observation.endedAt ?? null,
      outcome: observation.outcome,
      max_weight: observation.maxWeight,
      failed_checks: observation.failedChecks,
      failure_reason: observation.failureReason ?? null,
      updated_at: now,
    };
    const key = ['cluster', 'namespace', 'canary', 'revision'];
    const known =
      observation.outcome === 'progressing' ||
      observation.startFromEvent ||
      (await this.db(ROLLOUTS)
        .where({
          cluster: row.cluster,
          namespace: row.namespace,
          canary: row.canary,
          revision: row.revision,
        })
        .first('id')) !== undefined;
    if (known) {
      await this.db(ROLLOUTS).insert(row).onConflict(key).merge(this.merge());
    }
    if (entityRef && options.fillEntityRef !== false) {
      // Rollouts recorded while the catalog did not know the owner yet (e.g. at start-up).
      await this.db(ROLLOUTS)
        .where({
          cluster: row.cluster,
          namespace: row.namespace,
          canary: row.canary,
        })
        .whereNull('entity_ref')
        .update({ entity_ref: entityRef });
    }
    if (observation.outcome === 'progressing') {
      await this.db(ROLLOUTS)
        .where({
          cluster: row.cluster,
          namespace: row.namespace,
          canary: row.canary,
          outcome: 'progressing',
        })
        .whereNot('revision', row.revision)
        .andWhere('started_at', '<=', row.started_at)
        .update({
          outcome: 'superseded',
          ended_at: row.started_at,
          updated_at: now,
        });
    }
    return known;
  }

  /** The canaries with a rollout recorded while the catalog did not know their owner. */
  async canariesWithoutEntityRef(): Promise<CanaryKey[]> {
    return this.db(ROLLOUTS)
      .whereNull('entity_ref')
      .distinct('cluster', 'namespace', 'canary');
  }

  /** How an upsert merges into an existing rollout row: it never moves the row backwards. */
  private merge(): Record<string, Knex.Raw> {
    const r = (sql: string) => this.db.raw(sql);
    const t = ROLLOUTS;
    return {
      // The earliest start and end any replica saw; the highest weight and failed checks.
      started_at: r(
        `CASE WHEN excluded.started_at < ${t}.started_at THEN excluded.started_at ELSE ${t}.started_at END`,
      ),
      ended_at: r(
        `CASE WHEN ${t}.ended_at IS NULL THEN excluded.ended_at WHEN excluded.ended_at IS NULL THEN ${t}.ended_at WHEN excluded.ended_at < ${t}.ended_at THEN excluded.ended_at ELSE ${t}.ended_at END`,
      ),
      // A finished rollout stays finished, whatever a lagging replica still sees.
      outcome: r(
        `CASE WHEN ${t}.outcome = 'progressing' THEN excluded.outcome ELSE ${t}.outcome END`,
      ),
      max_weight: r(
        `CASE WHEN excluded.max_weight > ${t}.max_weight THEN excluded.max_weight ELSE ${t}.max_weight END`,
      ),
      failed_checks: r(
        `CASE WHEN excluded.failed_checks > ${t}.failed_checks THEN excluded.failed_checks ELSE ${t}.failed_checks END`,
      ),
      failure_reason: r(
        `COALESCE(excluded.failure_reason, ${t}.failure_reason)`,
      ),
      previous_revision: r(
        `COALESCE(${t}.previous_revision, excluded.previous_revision)`,
      ),
      entity_ref: r(`COALESCE(excluded.entity_ref, ${t}.entity_ref)`),
      updated_at: r('excluded.updated_at'),
    };
  }

  /**
   * Stores Flagger's events of a canary, one row per occurrence (an event's `count`), so that a
   * message repeated in a later rollout adds to that rollout's timeline.
   */
  async upsertEvents(key: CanaryKey, events: StoredEvent[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    const rows: EventRow[] = events.map(e => ({
      ...key,
      uid: e.uid,
      occurrence: e.count,
      timestamp: Date.parse(e.timestamp),
      type: e.type,
      reason: e.reason,
      message: e.message,
      category: e.category,
    }));
    await this.db(EVENTS)
      .insert(rows)
      .onConflict(['cluster', 'namespace', 'canary', 'uid', 'occurrence'])
      .ignore();
  }

  /** Marks who approved or rolled back the rollout of `revision`. */
  async recordActor(
    key: CanaryKey & { revision: string },
    role: 'approved' | 'rolledBack',
    actor: string,
    at: number,
  ): Promise<boolean> {
    const update =
      role === 'approved'
        ? { approved_by: actor, approved_at: at, updated_at: at }
        : { rolled_back_by: actor, rolled_back_at: at, updated_at: at };
    const count = await this.db(ROLLOUTS).where(key).update(update);
    return count > 0;
  }

  /**
   * Rollouts of an entity, newest first: those recorded for it and those of the canaries it
   * owns now.
   */
  async listRollouts(options: {
    entityRef: string;
    canaries: CanaryKey[];
    limit: number;
    cursor?: string;
    since?: number;
    /** Default true; the summary needs no timelines and no failures. */
    withEvents?: boolean;
  }): Promise<{ items: RolloutRecord[]; nextCursor?: string }> {
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    if (options.cursor && !after) {
      throw new InputError(
        'cursor is not a nextCursor of this API; leave it out for the first page',
      );
    }
    const query = this.db<RolloutRow>(ROLLOUTS)
      .where(ofEntity(options.entityRef, options.canaries))
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit + 1);
    if (options.since !== undefined) {
      query.andWhere('started_at', '>=', options.since);
    }
    if (after) {
      query.andWhere(builder =>
        builder
          .where('started_at', '<', after[0])
          .orWhere(inner =>
            inner.where('started_at', after[0]).andWhere('id', '<', after[1]),
          ),
      );
    }
    const rows = await query;
    const page = rows.slice(0, options.limit);
    const withEvents = options.withEvents ?? true;
    const items = await Promise.all(
      page.map(row => this.toRecord(row, withEvents)),
    );
    if (withEvents) {
      await this.addFailures(items);
    }
    return {
      items,
      nextCursor:
        rows.length > options.limit
          ? encodeCursor(
              ms(page[page.length - 1].started_at)!,
              Number(page[page.length - 1].id),
            )
          : undefined,
    };
  }

  /**
   * The failing check of each rollout of a page that failed on its checks, from the stored
   * points (see {@link rolloutFailure}), in one query for the page.
   */
  private async addFailures(items: RolloutRecord[]): Promise<void> {
    const failed = items.filter(failedOnChecks);
    const evidence = await this.analysis.failingEvidence(
      failed.map(r => ({
        ...keyOf(r),
        before: failureWindowEnd(r),
      })),
    );
    for (const record of failed) {
      const checks = evidence.get(rolloutKeyString(record));
      const failure = checks && rolloutFailure(record, checks);
      if (failure) {
        record.failure = failure;
      }
    }
  }

  /**
   * The rollout with this id if it is one of the entity's (recorded for it, or of the canaries
   * it owns now: the rollouts its history lists).
   */
  async rolloutOf(options: {
    id: string;
    entityRef: string;
    canaries: CanaryKey[];
  }): Promise<(RolloutKey & { id: string }) | undefined> {
    const row = await this.db<RolloutRow>(ROLLOUTS)
      .where('id', options.id)
      .andWhere(ofEntity(options.entityRef, options.canaries))
      .first('id', 'cluster', 'namespace', 'canary', 'revision');
    return row && { ...keyOf(row), id: String(row.id) };
  }

  /**
   * Deletes rollouts that ended before `cutoff` with their checks and points, events older than
   * it, and the points of rollouts never recorded whose newest point is older than it.
   */
  async deleteOlderThan(
    cutoff: number,
  ): Promise<{ rollouts: number; events: number; points: number }> {
    const { points } = await this.analysis.deleteOlderThan(cutoff);
    const rollouts = await this.db(ROLLOUTS)
      .whereNotNull('ended_at')
      .andWhere('ended_at', '<', cutoff)
      .delete();
    const events = await this.db(EVENTS)
      .where('timestamp', '<', cutoff)
      .delete();
    return { rollouts, events, points };
  }

  private eventsBetween(
    key: CanaryKey,
    startedAt: number,
    endedAt: number | undefined,
  ): Promise<EventRow[]> {
    return this.db<EventRow>(EVENTS)
      .where({
        cluster: key.cluster,
        namespace: key.namespace,
        canary: key.canary,
      })
      .andWhere('timestamp', '>=', startedAt)
      .modify(q => {
        if (endedAt !== undefined) {
          q.andWhere('timestamp', '<=', endedAt);
        }
      })
      .orderBy([
        { column: 'timestamp', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
  }

  private async toRecord(
    row: RolloutRow,
    withEvents: boolean,
  ): Promise<RolloutRecord> {
    const startedAt = ms(row.started_at)!;
    const endedAt = ms(row.ended_at);
    const eventRows: EventRow[] = withEvents
      ? await this.eventsBetween(row, startedAt, endedAt)
      : [];
    const events = collapseOccurrences(eventRows);
    const record: RolloutRecord = {
      id: String(row.id),
      cluster: row.cluster,
      namespace: row.namespace,
      canary: row.canary,
      revision: row.revision,
      startedAt: iso(startedAt)!,
      outcome: row.outcome as RolloutOutcome,
      maxWeight: row.max_weight,
      failedChecks: row.failed_checks,
      events,
    };
    const optional: Partial<RolloutRecord> = {
      entityRef: row.entity_ref ?? undefined,
      previousRevision: row.previous_revision ?? undefined,
      endedAt: iso(endedAt),
      durationMs: endedAt !== undefined ? endedAt - startedAt : undefined,
      failureReason: row.failure_reason ?? undefined,
      approvedBy: row.approved_by ?? undefined,
      approvedAt: iso(row.approved_at),
      rolledBackBy: row.rolled_back_by ?? undefined,
      rolledBackAt: iso(row.rolled_back_at),
      changes: withEvents ? storedChanges(row) : undefined,
    };
    for (const [k, v] of Object.entries(optional)) {
      if (v !== undefined) {
        (record as unknown as Record<string, unknown>)[k] = v;
      }
    }
    return record;
  }
}
