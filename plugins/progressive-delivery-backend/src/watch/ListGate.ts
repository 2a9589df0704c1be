/**
 * How many of a cluster's kinds list at once, and in which order: the waiting list with the
 * lowest priority goes first. At start a cluster's 21 kinds would otherwise all list together and
 * its Canaries, the heart of every entity page, would arrive with the last of them; through the
 * gate they come first, and an entity is answerable (its cluster marked as still listing the
 * rest) while the bulk kinds are still on their way.
 */
export class ListGate {
  private running = 0;
  private readonly waiting: Array<{ priority: number; go: () => void }> = [];

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(
        `list concurrency must be a whole number of at least 1, not ${concurrency}`,
      );
    }
  }

  /** Runs `list` when a slot is free; lower `priority` first among those waiting. */
  async run<T>(priority: number, list: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      await new Promise<void>(go => {
        const at = this.waiting.findIndex(w => w.priority > priority);
        const entry = { priority, go };
        if (at === -1) {
          this.waiting.push(entry);
        } else {
          this.waiting.splice(at, 0, entry);
        }
      });
    } else {
      this.running += 1;
    }
    try {
      return await list();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        // The slot passes to the next list as it is: `running` stays.
        next.go();
      } else {
        this.running -= 1;
      }
    }
  }
}
