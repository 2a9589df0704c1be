import { Turns } from './Turns';

describe('Turns', () => {
  it('gives one turn per event loop iteration, in order, with I/O between turns', async () => {
    const turns = new Turns();
    const order: string[] = [];
    const slices = (name: string) =>
      (async () => {
        for (let i = 0; i < 3; i++) {
          await turns.next();
          order.push(`${name}${i}`);
        }
      })();
    // An immediate queued after the first turns stands for I/O arriving meanwhile.
    const lists = [slices('a'), slices('b')];
    await new Promise(resolve => setImmediate(resolve));
    order.push('io');
    await Promise.all(lists);
    expect(order).toEqual(['a0', 'io', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('serves a lower priority first', async () => {
    const turns = new Turns();
    const order: string[] = [];
    const slices = (name: string, priority: number) =>
      (async () => {
        for (let i = 0; i < 2; i++) {
          await turns.next(priority);
          order.push(`${name}${i}`);
        }
      })();
    await Promise.all([slices('Deployment', 1), slices('Canary', 0)]);
    expect(order).toEqual(['Canary0', 'Canary1', 'Deployment0', 'Deployment1']);
  });
});
