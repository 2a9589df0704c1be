import { durationSeconds, spreadCanaries } from './analysisLoad';

describe('analysisLoad', () => {
  it('reads Flagger intervals as Go durations', () => {
    expect(durationSeconds('30s')).toBe(30);
    expect(durationSeconds('1m')).toBe(60);
    expect(durationSeconds('1m30s')).toBe(90);
    expect(durationSeconds(undefined)).toBe(60);
  });

  it('spreads the canaries over each cluster and its namespaces', () => {
    const clusters = [
      { name: 'scale-01', url: 'https://a' },
      { name: 'scale-02', url: 'https://b' },
    ];
    const refs = spreadCanaries(clusters, 2000, 4);
    expect(refs).toHaveLength(8);
    expect(refs.slice(0, 4).map(r => `${r.namespace}/${r.name}`)).toEqual([
      'team-001/svc-00001',
      'team-006/svc-00501',
      'team-011/svc-01001',
      'team-016/svc-01501',
    ]);
    expect(refs[4].cluster.name).toBe('scale-02');
  });
});
