import { parseBenchArgs } from './options';

describe('parseBenchArgs', () => {
  it('defaults to the full size the issue names', () => {
    const options = parseBenchArgs([], '/out');
    expect(options).toMatchObject({
      quick: false,
      clusters: 5,
      canaries: 2000,
      connections: 10,
      targets: ['ours', 'peer', 'ceiling'],
      outDir: '/out',
    });
  });

  it('uses small sizes with --quick, and explicit flags win', () => {
    const options = parseBenchArgs(
      ['--quick', '--clusters', '1', '--canaries', '20', '--duration', '1'],
      '/out',
    );
    expect(options).toMatchObject({
      quick: true,
      clusters: 1,
      canaries: 20,
      durationS: 1,
      warmupS: 2,
      propagationSamples: 5,
    });
  });

  it('allows no warm-up and keeps the target order whatever the flag order', () => {
    const options = parseBenchArgs(
      ['--warmup', '0', '--targets', 'ceiling,ours'],
      '/out',
    );
    expect(options.warmupS).toBe(0);
    expect(options.targets).toEqual(['ours', 'ceiling']);
  });

  it('rejects nonsense', () => {
    expect(() => parseBenchArgs(['--clusters', 'many'], '/out')).toThrow(
      '--clusters must be a positive number',
    );
    expect(() => parseBenchArgs(['--targets', 'ours,theirs'], '/out')).toThrow(
      'unknown target "theirs"',
    );
    expect(() => parseBenchArgs(['--fast'], '/out')).toThrow();
  });
});
