import { setImmediate as nextTurn } from 'node:timers/promises';
import { CoalescingQueue } from './CoalescingQueue';

function recordingQueue(options: { turnEach?: boolean; failOn?: string } = {}) {
  const done: string[] = [];
  const failures: string[] = [];
  const queue = new CoalescingQueue<string>({
    turnEach: options.turnEach,
    work: async item => {
      await Promise.resolve();
      if (item === options.failOn) {
        throw new Error(`cannot do ${item}`);
      }
      done.push(item);
    },
    failed: (item, error) => failures.push(`${item}: ${error}`),
  });
  return { queue, done, failures };
}

describe('CoalescingQueue', () => {
  it('works on items one at a time in the order first added, each once while it waits', async () => {
    const { queue, done } = recordingQueue();
    let running = 0;
    let most = 0;
    const counting = new CoalescingQueue<string>({
      work: async item => {
        running += 1;
        most = Math.max(most, running);
        await nextTurn();
        running -= 1;
        done.push(item);
      },
      failed: () => {},
    });
    for (const id of ['a', 'b', 'a', 'c', 'b']) {
      counting.add(id, id);
    }
    await counting.idle();
    expect(done).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);

    // Added again once done: worked on again.
    queue.add('a', 'a');
    await queue.idle();
    expect(done).toEqual(['a', 'b', 'c', 'a']);
  });

  it('does not work inside add, and runs jobs before the waiting items', async () => {
    const { queue, done } = recordingQueue();
    queue.add('x', 'x');
    expect(done).toEqual([]);
    queue.addJob(
      async () => {
        done.push('job');
      },
      () => {},
    );
    await queue.idle();
    expect(done).toEqual(['job', 'x']);
  });

  it('goes on after a failure and reports it', async () => {
    const { queue, done, failures } = recordingQueue({ failOn: 'b' });
    const jobErrors: string[] = [];
    queue.add('a', 'a');
    queue.add('b', 'b');
    queue.addJob(
      async () => {
        throw new Error('job failed');
      },
      error => {
        jobErrors.push(String(error));
        throw new Error('and so did its reporter');
      },
    );
    queue.add('c', 'c');
    await queue.idle();
    expect(done).toEqual(['a', 'c']);
    expect(failures).toEqual(['b: Error: cannot do b']);
    expect(jobErrors).toEqual(['Error: job failed']);
  });

  it('picks up what is added while it works and at any moment after it ran dry', async () => {
    const later = (hops: number, then: () => void) => {
      let p = Promise.resolve();
      for (let i = 0; i < hops; i++) {
        p = p.then(() => {});
      }
      void p.then(then);
    };
    // One trial per microtask after the start: one of them is when the queue finds nothing left.
    for (let hops = 0; hops <= 16; hops++) {
      const done: string[] = [];
      const queue = new CoalescingQueue<string>({
        work: async item => {
          done.push(item);
          if (item === 'first') {
            queue.add('during', 'during');
          }
        },
        failed: () => {},
      });
      queue.add('first', 'first');
      later(hops, () => queue.add('late', 'late'));
      for (let i = 0; i < 3; i++) {
        await queue.idle();
        await nextTurn();
      }
      expect({ hops, done: [...done].sort() }).toEqual({
        hops,
        done: ['during', 'first', 'late'],
      });
    }
  });

  it('lets the event loop turn before each item when asked', async () => {
    const { queue, done } = recordingQueue({ turnEach: true });
    queue.add('a', 'a');
    queue.add('b', 'b');
    const turns: string[] = [];
    setImmediate(() => turns.push(`turn after ${done.length}`));
    await queue.idle();
    expect(turns).toEqual(['turn after 1']);
    expect(done).toEqual(['a', 'b']);
  });

  it('drops what waits when cleared', async () => {
    const { queue, done } = recordingQueue();
    queue.add('a', 'a');
    queue.addJob(
      async () => {
        done.push('job');
      },
      () => {},
    );
    queue.clear();
    await queue.idle();
    expect(done).toEqual([]);
  });
});
