import { ConcurrencyLimit } from './KubernetesClient';

describe('ConcurrencyLimit', () => {
  it('runs at most `limit` tasks at once, the rest in order, and frees a slot on failure', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise(resolve => setTimeout(resolve, 5));
      running -= 1;
      if (i === 1) {
        throw new Error('page failed');
      }
      return i;
    };
    const results = await Promise.allSettled(
      [0, 1, 2, 3, 4].map(i => limit.run(task(i))),
    );
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map(r => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    // Every slot came back.
    await expect(limit.run(async () => 'again')).resolves.toBe('again');
  });
});
