import {
  isRecord,
  RolloutChanges,
  TrackedConfigs,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Knex } from 'knex';
import { CanaryKey } from './rolloutQueries';
import { objectId } from '../watch/objectId';

const ROLLOUTS = 'rollouts';

/** What a rollout row keeps for "what changed" (migration 20261220000000_rollout_changes). */
export interface RolloutChangesColumns {
  changes: string | null;
  tracked_configs: string | null;
  source_revision: string | null;
}

/** What the recorder observed of a rollout's changes, to store on its row. */
export interface ObservedChanges {
  /** Derived while the primary still ran the promoted revision; stored then only. */
  changes?: RolloutChanges;
  /** `status.trackedConfigs`: the checksums of this rollout's configs. */
  trackedConfigs?: TrackedConfigs;
  /** The Flux revision applied (e.g. `main@sha1:…`). */
  sourceRevision?: string;
}

/** The rollout promoted before the current one of a canary, as recorded. */
export interface Promotion {
  /** Its `status.lastAppliedSpec`. */
  revision: string;
  sourceRevision?: string;
  trackedConfigs?: TrackedConfigs;
}

function parse(text: string | null | undefined): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A stored RolloutChanges; undefined when the column is empty or not what was written. */
export function storedChanges(
  row: Partial<RolloutChangesColumns>,
): RolloutChanges | undefined {
  const value = parse(row.changes);
  return isRecord(value) &&
    Array.isArray(value.containers) &&
    Array.isArray(value.configs)
    ? (value as unknown as RolloutChanges)
    : undefined;
}

function storedTrackedConfigs(text: string | null): TrackedConfigs | undefined {
  const value = parse(text);
  if (!isRecord(value)) {
    return undefined;
  }
  const configs: TrackedConfigs = {};
  for (const [key, checksum] of Object.entries(value)) {
    if (typeof checksum === 'string') {
      configs[key] = checksum;
    }
  }
  return configs;
}

type PromotionRow = Pick<
  RolloutChangesColumns,
  'tracked_configs' | 'source_revision'
> &
  CanaryKey & { revision: string };

const canaryId = (key: CanaryKey) =>
  objectId(key.cluster, key.namespace, key.canary);

function promotionOf(row: PromotionRow): Promotion {
  const trackedConfigs = storedTrackedConfigs(row.tracked_configs);
  return {
    revision: row.revision,
    ...(row.source_revision ? { sourceRevision: row.source_revision } : {}),
    ...(trackedConfigs ? { trackedConfigs } : {}),
  };
}

/**
 * The "what changed" columns of the rollout history. A rollout's changes are written while it
 * runs (later observations refine them: a Flux source revision that arrived, a config checksum
 * Flagger synced) and never after it ended, unless none were; its tracked configs and source
 * revision likewise, so a rollout first seen promoted still leaves them for the next one.
 * Replicas derive the same values from the same cluster state, so their writes agree.
 */
export class RolloutChangesRepository {
  constructor(private readonly db: Knex) {}

  /** Stores what was observed of the rollout of `revision`; a no-op before its row exists. */
  async record(
    key: CanaryKey & { revision: string },
    observed: ObservedChanges,
  ): Promise<void> {
    const where = {
      cluster: key.cluster,
      namespace: key.namespace,
      canary: key.canary,
      revision: key.revision,
    };
    const writable = (column: keyof RolloutChangesColumns) =>
      this.db(ROLLOUTS)
        .where(where)
        .andWhere(b => b.where('outcome', 'progressing').orWhereNull(column));
    if (observed.changes) {
      const changes = await this.keepingWorkloadChanges(
        where,
        observed.changes,
      );
      await writable('changes').update({ changes: JSON.stringify(changes) });
    }
    if (observed.trackedConfigs) {
      await writable('tracked_configs').update({
        tracked_configs: JSON.stringify(observed.trackedConfigs),
      });
    }
    if (observed.sourceRevision) {
      await writable('source_revision').update({
        source_revision: observed.sourceRevision,
      });
    }
  }

  /**
   * `changes`, keeping the workload changes stored for this rollout when `changes` has none.
   * Flagger copies the target's template into the primary before it leaves the analysis phases
   * (fluxcd/flagger pkg/controller/scheduler.go @ v1.44.0: `Promote`, then
   * `SetStatusPhase(..., CanaryPhasePromoting)`): a look in between finds the two equal and
   * would erase what the rollout changed. Equal from the start (a rollout of a config only),
   * nothing was stored to keep.
   */
  private async keepingWorkloadChanges(
    where: Record<string, string>,
    changes: RolloutChanges,
  ): Promise<RolloutChanges> {
    if (changes.containers.length > 0 || changes.podTemplate.length > 0) {
      return changes;
    }
    const stored = storedChanges(
      (await this.db(ROLLOUTS).where(where).first('changes')) ?? {},
    );
    return stored
      ? {
          ...changes,
          containers: stored.containers,
          podTemplate: Array.isArray(stored.podTemplate)
            ? stored.podTemplate
            : [],
        }
      : changes;
  }

  /**
   * The canary's latest succeeded rollout other than `revision` (the one running now): what
   * the primary runs while `revision` is analysed, or what it replaced once promoted.
   */
  async lastPromotion(
    key: CanaryKey,
    revision: string,
  ): Promise<Promotion | undefined> {
    const [promotion] = await this.lastPromotions([{ key, revision }]);
    return promotion;
  }

  /**
   * {@link lastPromotion} of several canaries in one query (a start-up or a page of canaries
   * asks for thousands at once).
   */
  async lastPromotions(
    requests: Array<{ key: CanaryKey; revision: string }>,
  ): Promise<Array<Promotion | undefined>> {
    if (requests.length === 0) {
      return [];
    }
    const ids = new Map<string, [string, string, string]>();
    for (const { key } of requests) {
      ids.set(canaryId(key), [key.cluster, key.namespace, key.canary]);
    }
    const rows = await this.db(ROLLOUTS)
      .whereIn(['cluster', 'namespace', 'canary'], [...ids.values()])
      .where('outcome', 'succeeded')
      .orderBy([
        { column: 'ended_at', order: 'desc', nulls: 'last' },
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .select<PromotionRow[]>(
        'cluster',
        'namespace',
        'canary',
        'revision',
        'tracked_configs',
        'source_revision',
      );
    const byCanary = new Map<string, PromotionRow[]>();
    for (const row of rows) {
      const id = canaryId(row);
      byCanary.set(id, [...(byCanary.get(id) ?? []), row]);
    }
    return requests.map(({ key, revision }) => {
      const row = byCanary
        .get(canaryId(key))
        ?.find(r => r.revision !== revision);
      return row && promotionOf(row);
    });
  }
}
