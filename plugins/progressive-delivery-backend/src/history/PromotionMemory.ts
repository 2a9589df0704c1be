import { setImmediate } from 'node:timers';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ChangeListener, ChangeNotifier, ChangeSource } from '../watch/types';
import { Promotion } from './RolloutChangesRepository';
import { CanaryKey } from './rolloutQueries';

/** Where promotions are read: the history's RolloutChangesRepository. */
export interface PromotionSource {
  /** Several canaries' promotions at once, in the order asked. */
  lastPromotions(
    requests: Array<{ key: CanaryKey; revision: string }>,
  ): Promise<Array<Promotion | undefined>>;
}

/** Canaries read in one query, at most. */
const BATCH = 300;

interface Request {
  key: CanaryKey;
  revision: string;
  done: (value: Promotion | undefined) => void;
  failed: (error: unknown) => void;
}

interface Entry {
  /** The canary's revision the promotion was looked up for. */
  revision: string;
  /** undefined: not read yet; null: none recorded. */
  value?: Promotion | null;
  loading?: Promise<void>;
  loadedAt?: number;
}

const SEP = '\u0000';
const idOf = (k: CanaryKey) => [k.cluster, k.namespace, k.canary].join(SEP);

/**
 * The promotion before each canary's current revision, from the rollout history, in memory: the
 * delivery state is derived synchronously and often, so it reads this and never the database.
 * An unknown one is read in the background and announced as a change of the canary (the update
 * hub then pushes the state again); "none recorded" is read again after `retryMs`, as another
 * replica may record it. What is asked for in one turn of the event loop (a page of canaries,
 * the first views after a start) is read in one query per 300 canaries.
 */
export class PromotionMemory implements ChangeSource {
  private readonly entries = new Map<string, Entry>();
  private readonly notifier = new ChangeNotifier();
  private queued: Request[] = [];

  constructor(
    private readonly options: {
      source: PromotionSource;
      logger: LoggerService;
      retryMs?: number;
      now?: () => number;
    },
  ) {}

  subscribe(listener: ChangeListener): () => void {
    return this.notifier.subscribe(listener);
  }

  /** The promotion before `revision`, if known now; starts reading it if not. */
  peek(key: CanaryKey, revision: string): Promotion | undefined {
    return this.entry(key, revision).value ?? undefined;
  }

  /** The promotion before `revision`, read from the history when not in memory. */
  async get(key: CanaryKey, revision: string): Promise<Promotion | undefined> {
    const entry = this.entry(key, revision);
    await entry.loading;
    return entry.value ?? undefined;
  }

  /**
   * A rollout of the canary succeeded: a later revision's promotion is this one, so what was
   * read for other revisions is dropped.
   */
  promoted(key: CanaryKey, revision: string): void {
    const id = idOf(key);
    if (this.entries.get(id)?.revision !== revision) {
      this.entries.delete(id);
    }
  }

  /** The canary is gone. */
  forget(key: CanaryKey): void {
    this.entries.delete(idOf(key));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private entry(key: CanaryKey, revision: string): Entry {
    const id = idOf(key);
    let entry = this.entries.get(id);
    if (!entry || entry.revision !== revision) {
      entry = { revision };
      this.entries.set(id, entry);
      this.load(key, entry);
    } else if (
      entry.value === null &&
      !entry.loading &&
      this.now() - (entry.loadedAt ?? 0) >= (this.options.retryMs ?? 60_000)
    ) {
      this.load(key, entry);
    }
    return entry;
  }

  /** Queues a read for the next batch; the first in a turn schedules it. */
  private read(
    key: CanaryKey,
    revision: string,
  ): Promise<Promotion | undefined> {
    return new Promise((done, failed) => {
      if (this.queued.length === 0) {
        setImmediate(() => this.flush());
      }
      this.queued.push({ key, revision, done, failed });
    });
  }

  private flush(): void {
    const queued = this.queued;
    this.queued = [];
    for (let at = 0; at < queued.length; at += BATCH) {
      const batch = queued.slice(at, at + BATCH);
      this.options.source.lastPromotions(batch).then(
        values => batch.forEach((request, i) => request.done(values[i])),
        error => batch.forEach(request => request.failed(error)),
      );
    }
  }

  private load(key: CanaryKey, entry: Entry): void {
    const loading = this.read(key, entry.revision)
      .then(
        found => found ?? null,
        error => {
          this.options.logger.warn(
            `could not read the promotion before ${entry.revision} of canary ${key.namespace}/${key.canary} in ${key.cluster}: ${error}`,
          );
          return null;
        },
      )
      .then(value => {
        const changed =
          JSON.stringify(value) !== JSON.stringify(entry.value ?? null);
        entry.value = value;
        entry.loadedAt = this.now();
        entry.loading = undefined;
        if (changed && this.entries.get(idOf(key)) === entry) {
          this.notifier.emit({
            type: 'upsert',
            cluster: key.cluster,
            kind: 'Canary',
            namespace: key.namespace,
            name: key.canary,
          });
        }
      });
    entry.loading = loading;
  }
}
