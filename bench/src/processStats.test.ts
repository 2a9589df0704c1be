import { readCpuMs, readMemoryMb } from './processStats';

describe('processStats', () => {
  it('reads the memory and CPU time of a live process', () => {
    const memory = readMemoryMb(process.pid);
    expect(memory.rss).toBeGreaterThan(10);
    expect(memory.peak).toBeGreaterThanOrEqual(memory.rss);
    const before = readCpuMs(process.pid);
    // Burn CPU until the counter moves (it has a 10 ms resolution).
    let after = before;
    for (let i = 0; i < 1e9 && after === before; i++) {
      if (i % 100_000 === 0) {
        after = readCpuMs(process.pid);
      }
    }
    expect(after).toBeGreaterThan(before);
  });
});
