import { LoggerService } from '@backstage/backend-plugin-api';
import { ChangeListener, ChangeNotifier, ChangeSource } from '../watch/types';
import { Promotion } from './RolloutChangesRepository';
import { CanaryKey } from './rolloutQueries';

/** Where promotions are read: the history's RolloutChangesRepository. */
export interface PromotionSource {
  lastPromotion(
    key: CanaryKey,
    revision: string,
  ): Promise<Promotion | undefined>;
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
 * replica may record it.
 */
export class PromotionMemory implements ChangeSource {
  private readonly entries = new Map<string, Entry>();
  private readonly notifier = new ChangeNotifier();

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

  private load(key: CanaryKey, entry: Entry): void {
    const loading = this.options.source
      .lastPromotion(key, entry.revision)
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
