import { setImmediate as nextTurn } from 'node:timers/promises';

/** Reports a failure; a reporter that throws must not stop the queue. */
function safely(report: () => void): void {
  try {
    report();
  } catch {
    // nothing left to tell it to
  }
}

/** What a {@link CoalescingQueue} does with its items. */
export interface CoalescingQueueOptions<T> {
  /** The work for one item. */
  work(item: T): Promise<void>;
  /** A failure of `work`; the queue goes on with the next item. */
  failed(item: T, error: unknown): void;
  /**
   * Waits for a turn of the event loop before each item, so that a long queue (every canary at
   * start) runs between requests instead of in front of them.
   */
  turnEach?: boolean;
}

/**
 * Items worked on one at a time, in the order they were first added; an item added again while
 * it waits (by the same id) is worked on once. Jobs (one-off work) go before the items.
 *
 * It keeps one map entry per waiting item. A promise chain (`tail = tail.then(...)`) costs
 * about 550 bytes per waiting item: 5.5 MB when every canary of the bench's clusters was
 * queued at start.
 */
export class CoalescingQueue<T> {
  private readonly waiting = new Map<string, T>();
  private readonly jobs: Array<() => Promise<void>> = [];
  private running = false;
  private draining: Promise<void> = Promise.resolve();

  constructor(private readonly options: CoalescingQueueOptions<T>) {}

  /** Queues the item unless one of the same id waits already. */
  add(id: string, item: T): void {
    if (!this.waiting.has(id)) {
      this.waiting.set(id, item);
      this.drain();
    }
  }

  /** Queues one-off work, done before the waiting items; its failure goes to `onError`. */
  addJob(job: () => Promise<void>, onError: (error: unknown) => void): void {
    this.jobs.push(() => job().catch(error => safely(() => onError(error))));
    this.drain();
  }

  /** Drops the waiting items and jobs (the one under way finishes). */
  clear(): void {
    this.waiting.clear();
    this.jobs.length = 0;
  }

  /** Resolves once everything queued so far, and anything queued meanwhile, is done. */
  async idle(): Promise<void> {
    while (this.running) {
      await this.draining;
    }
  }

  private drain(): void {
    if (!this.running) {
      this.running = true;
      this.draining = this.run();
    }
  }

  /** Works until nothing waits; `running` goes false in the same turn as it finds nothing. */
  private async run(): Promise<void> {
    for (;;) {
      if (this.options.turnEach) {
        await nextTurn();
      } else {
        // Never synchronously inside add(): the caller finishes first.
        await Promise.resolve();
      }
      const job = this.jobs.shift();
      if (job) {
        await job();
        continue;
      }
      const next = this.waiting.entries().next();
      if (next.done) {
        this.running = false;
        return;
      }
      const [id, item] = next.value;
      this.waiting.delete(id);
      try {
        await this.options.work(item);
      } catch (error) {
        safely(() => this.options.failed(item, error));
      }
    }
  }
}
