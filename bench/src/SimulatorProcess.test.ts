import {
  parseClusterLine,
  parseObjectCount,
  sumCounts,
} from './SimulatorProcess';

describe('parseClusterLine', () => {
  it('reads the lines the simulator prints at start', () => {
    expect(
      parseClusterLine('cluster scale-01 listening on https://127.0.0.1:38083'),
    ).toEqual({ name: 'scale-01', url: 'https://127.0.0.1:38083' });
    expect(parseClusterLine('kubeconfig: /tmp/x/kubeconfig')).toBeUndefined();
    expect(
      parseClusterLine('scenario scale: 2 cluster(s), 580 objects in 179 ms'),
    ).toBeUndefined();
  });
});

describe('parseObjectCount', () => {
  it('reads the size of the scenario', () => {
    expect(
      parseObjectCount(
        'scenario scale: 5 cluster(s), 145120 objects in 9000 ms',
      ),
    ).toBe(145120);
    expect(parseObjectCount('cluster scale-01 listening on x')).toBeUndefined();
  });
});

describe('sumCounts', () => {
  it('adds the counters of all clusters', () => {
    expect(
      sumCounts([
        {
          total: 3,
          byVerb: { list: 2, watch: 1 },
          byVerbAndResource: {
            'list pods': 2,
            'watch canaries.flagger.app': 1,
          },
        },
        {
          total: 2,
          byVerb: { list: 2 },
          byVerbAndResource: { 'list pods': 1, 'list services': 1 },
        },
      ]),
    ).toEqual({
      total: 5,
      byVerb: { list: 4, watch: 1 },
      byVerbAndResource: {
        'list pods': 3,
        'list services': 1,
        'watch canaries.flagger.app': 1,
      },
    });
  });
});
