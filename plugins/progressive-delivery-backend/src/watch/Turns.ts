import { setImmediate } from 'node:timers';

/**
 * Hands out turns of the event loop one at a time, by priority then in order: each `next()` resolves in an
 * event loop iteration of its own, after that iteration's I/O. Listing a cluster is hundreds of
 * pages of CPU work; cut into slices that each wait for a turn, it runs between requests
 * instead of in front of them, so a page view answers within a few slices while 100 lists are
 * in flight (with every page handled as it arrived, a view took 1-2.5 s).
 */
export class Turns {
  private readonly waiting: Array<{ priority: number; go: () => void }> = [];
  private scheduled = false;

  /** The next turn; lower `priority` first (Canaries' lists before the bulk kinds'). */
  next(priority = 0): Promise<void> {
    return new Promise(go => {
      const at = this.waiting.findIndex(w => w.priority > priority);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, {
        priority,
        go,
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.go();
      this.schedule();
    });
  }
}

/** The turns every cluster's lists share: one event loop, one queue. */
export const LIST_TURNS = new Turns();
