import { Knex } from 'knex';

const TABLE = 'rollout_notifications';
const KEY = ['cluster', 'namespace', 'canary', 'revision', 'transition'];

/** One transition of one rollout, the ledger's unique key. */
export interface TransitionKey {
  cluster: string;
  namespace: string;
  canary: string;
  /** status.lastAppliedSpec of the rollout. */
  revision: string;
  /** `gate-waiting:<gate>`, `gate-waiting:<gate>@<weight>`, `failed` or `succeeded`. */
  transition: string;
}

/** The key's columns only, for `where`. */
const keyOf = (k: TransitionKey): TransitionKey => ({
  cluster: k.cluster,
  namespace: k.namespace,
  canary: k.canary,
  revision: k.revision,
  transition: k.transition,
});

/**
 * The notification ledger in the plugin's database (SQLite or PostgreSQL; the table comes with
 * the history's migrations, which `RolloutRepository.create` runs). A replica claims a
 * transition by inserting its row: the unique key lets exactly one insert land, and only the
 * replica holding the claim sends. A restarted backend finds the row and does not send again.
 *
 * A claim whose replica died between claiming and sending (no `sent_at`) can be taken over
 * once it is older than `abandonedAfterMs`, so a crash costs a delay, not the notification.
 */
export class NotificationLedger {
  constructor(
    private readonly db: Knex,
    private readonly options: { abandonedAfterMs?: number } = {},
  ) {}

  /** Whether the transition was claimed already (by any replica, sent or not). */
  async has(key: TransitionKey): Promise<boolean> {
    return (await this.db(TABLE).where(keyOf(key)).first('id')) !== undefined;
  }

  /**
   * Claims the transition with `token` (unique per attempt). True when this caller won and
   * must send; false when another replica (or an earlier run) holds it.
   */
  async claim(
    key: TransitionKey,
    token: string,
    now: number,
  ): Promise<boolean> {
    await this.db(TABLE)
      .insert({ ...keyOf(key), claimed_by: token, claimed_at: now })
      .onConflict(KEY)
      .ignore();
    const row = await this.db(TABLE).where(keyOf(key)).first('claimed_by');
    if (row?.claimed_by === token) {
      return true;
    }
    // An abandoned claim: its replica never marked it sent. One UPDATE wins the takeover.
    const abandonedBefore = now - (this.options.abandonedAfterMs ?? 600_000);
    const taken = await this.db(TABLE)
      .where(keyOf(key))
      .whereNull('sent_at')
      .andWhere('claimed_at', '<', abandonedBefore)
      .update({ claimed_by: token, claimed_at: now });
    return taken === 1;
  }

  /** Marks a claimed transition sent. */
  async markSent(
    key: TransitionKey,
    token: string,
    now: number,
  ): Promise<void> {
    await this.db(TABLE)
      .where({ ...keyOf(key), claimed_by: token })
      .update({ sent_at: now });
  }

  /** Gives a claim up (the send failed), so that a later attempt of any replica may claim it. */
  async release(key: TransitionKey, token: string): Promise<void> {
    await this.db(TABLE)
      .where({ ...keyOf(key), claimed_by: token })
      .whereNull('sent_at')
      .delete();
  }

  /** Deletes rows claimed before `cutoff` (epoch ms); returns how many. */
  async deleteOlderThan(cutoff: number): Promise<number> {
    return this.db(TABLE).where('claimed_at', '<', cutoff).delete();
  }
}
