/**
 * Simulated time. Every controller schedules work on this clock, never on
 * `setTimeout`, so a test can run a whole rollout by advancing it, and the
 * demo can run it faster than real time.
 */
export interface Clock {
  /** Current simulated time, ms since the epoch. */
  now(): number;
  /** Runs `task` once when simulated time reaches now + delayMs. */
  schedule(delayMs: number, task: () => void): TimerHandle;
}

export interface TimerHandle {
  cancel(): void;
}

interface Timer {
  at: number;
  seq: number;
  task: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers due at the same instant run in
 * the order they were scheduled, so runs are deterministic.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  /** Binary min-heap ordered by (at, seq); cancelled timers are skipped lazily. */
  private readonly heap: Timer[] = [];
  private readonly errors: unknown[] = [];

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, task: () => void): TimerHandle {
    const timer: Timer = {
      at: this.current + Math.max(0, delayMs),
      seq: this.seq++,
      task,
      cancelled: false,
    };
    this.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** When the next pending timer is due, if any. */
  nextDue(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advanceSync(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.dropCancelled();
      const next = this.heap[0];
      if (!next || next.at > target) break;
      this.pop();
      this.current = Math.max(this.current, next.at);
      try {
        next.task();
      } catch (e) {
        this.errors.push(e);
      }
    }
    this.current = Math.max(this.current, target);
    if (this.errors.length > 0) {
      const [first] = this.errors.splice(0);
      throw first;
    }
  }

  /** Like advanceSync, then lets pending I/O (watch writes) flush. */
  async advance(ms: number): Promise<void> {
    this.advanceSync(ms);
    await new Promise(resolve => setImmediate(resolve));
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
  }

  private static less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!VirtualClock.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < h.length && VirtualClock.less(h[l], h[smallest])) smallest = l;
        if (r < h.length && VirtualClock.less(h[r], h[smallest])) smallest = r;
        if (smallest === i) break;
        [h[i], h[smallest]] = [h[smallest], h[i]];
        i = smallest;
      }
    }
    return top;
  }
}

/**
 * Drives a VirtualClock from wall time, `speed` simulated ms per real ms.
 * Simulated time is continuous (not only at timer instants), so timestamps
 * written between ticks are right too.
 */
export class RealTimeDriver {
  private timeout: NodeJS.Timeout | undefined;
  private lastWall = 0;
  private stopped = true;

  constructor(
    private readonly clock: VirtualClock,
    private readonly speed: number,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  start(): void {
    this.stopped = false;
    this.lastWall = Date.now();
    this.loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timeout) clearTimeout(this.timeout);
  }

  /** Simulated "now" that includes the wall time elapsed since the last step. */
  catchUp(): void {
    if (this.stopped) return;
    const wall = Date.now();
    const elapsed = (wall - this.lastWall) * this.speed;
    this.lastWall = wall;
    try {
      this.clock.advanceSync(elapsed);
    } catch (e) {
      this.onError(e);
    }
  }

  private loop(): void {
    if (this.stopped) return;
    this.catchUp();
    const next = this.clock.nextDue();
    const waitSim = next === undefined ? 1000 : next - this.clock.now();
    const waitReal = Math.min(1000, Math.max(5, waitSim / this.speed));
    this.timeout = setTimeout(() => this.loop(), waitReal);
    this.timeout.unref?.();
  }
}
