import { VirtualClock } from './clock';

describe('VirtualClock', () => {
  it('runs due timers in time order, ties in scheduling order, and skips cancelled ones', () => {
    const clock = new VirtualClock(1_000);
    const log: string[] = [];
    clock.schedule(30, () => log.push(`c@${clock.now()}`));
    clock.schedule(10, () => log.push(`a@${clock.now()}`));
    clock.schedule(10, () => log.push(`b@${clock.now()}`));
    clock.schedule(20, () => log.push('cancelled')).cancel();
    clock.advanceSync(25);
    expect(log).toEqual(['a@1010', 'b@1010']);
    expect(clock.now()).toBe(1_025);
    expect(clock.nextDue()).toBe(1_030);
    clock.advanceSync(5);
    expect(log).toEqual(['a@1010', 'b@1010', 'c@1030']);
    expect(clock.nextDue()).toBeUndefined();
  });

  it('runs timers scheduled by timers within the same advance', () => {
    const clock = new VirtualClock(0);
    const ticks: number[] = [];
    const every = (ms: number) => {
      clock.schedule(ms, () => {
        ticks.push(clock.now());
        every(ms);
      });
    };
    every(60_000);
    clock.advanceSync(5 * 60_000);
    expect(ticks).toEqual([60_000, 120_000, 180_000, 240_000, 300_000]);
  });

  it('reports a failing timer after running the others', () => {
    const clock = new VirtualClock(0);
    const log: string[] = [];
    clock.schedule(1, () => {
      throw new Error('boom');
    });
    clock.schedule(2, () => log.push('still ran'));
    expect(() => clock.advanceSync(10)).toThrow('boom');
    expect(log).toEqual(['still ran']);
  });
});
