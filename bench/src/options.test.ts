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

  it('sizes the streams phase and the growth runs, full and quick', () => {
    expect(parseBenchArgs([], '/out')).toMatchObject({
      streams: 1000,
      streamEntities: 100,
      streamDurationS: 30,
      streamRate: 10,
      growth: true,
      growthOnly: false,
      growthCanaries: 500,
      growthPeer: false,
    });
    expect(parseBenchArgs(['--quick'], '/out')).toMatchObject({
      streams: 50,
      streamEntities: 10,
      streamDurationS: 5,
      growth: false,
      growthCanaries: 50,
    });
    expect(parseBenchArgs(['--quick', '--growth'], '/out').growth).toBe(true);
    expect(parseBenchArgs(['--no-growth'], '/out').growth).toBe(false);
    expect(
      parseBenchArgs(['--quick', '--growth-only', '--growth-peer'], '/out'),
    ).toMatchObject({ growth: true, growthOnly: true, growthPeer: true });
  });

  it('runs the backends built unless told to run them from source', () => {
    expect(parseBenchArgs([], '/out').fromSource).toBe(false);
    expect(parseBenchArgs(['--from-source'], '/out').fromSource).toBe(true);
  });

  it('skips the streams phase and the analysis window with 0', () => {
    expect(
      parseBenchArgs(['--streams', '0', '--analysis-canaries', '0'], '/out'),
    ).toMatchObject({ streams: 0, analysisCanaries: 0 });
  });

  it('rejects nonsense', () => {
    expect(() =>
      parseBenchArgs(['--streams', '5', '--stream-entities', '10'], '/out'),
    ).toThrow('--streams 5 is fewer than --stream-entities 10');
    expect(() => parseBenchArgs(['--stream-rate', '0'], '/out')).toThrow(
      '--stream-rate must be a positive number',
    );
    expect(() => parseBenchArgs(['--clusters', '0'], '/out')).toThrow(
      '--clusters must be a positive number',
    );
    expect(() => parseBenchArgs(['--clusters', 'many'], '/out')).toThrow(
      '--clusters must be a positive number',
    );
    expect(() => parseBenchArgs(['--targets', 'ours,theirs'], '/out')).toThrow(
      'unknown target "theirs"',
    );
    expect(() => parseBenchArgs(['--fast'], '/out')).toThrow();
  });
});
