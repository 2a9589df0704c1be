import {
  assignStreams,
  coreShare,
  pickStreamEntities,
  planChanges,
  scaleNamespace,
  streamMarker,
  summarizeDeliveries,
  viewersNeeded,
  viewerTokens,
} from './streamPlan';

describe('streamMarker', () => {
  it('is a distinct Kubernetes-style timestamp per change, never a propagation marker', () => {
    expect(streamMarker(0)).toBe('2031-01-01T00:00:00Z');
    expect(streamMarker(3661)).toBe('2031-01-01T01:01:01Z');
    const markers = new Set(
      Array.from({ length: 1000 }, (_, i) => streamMarker(i)),
    );
    expect(markers.size).toBe(1000);
  });
});

describe('scaleNamespace', () => {
  it('puts 100 canaries in each team namespace, as the scale scenario does', () => {
    expect(scaleNamespace(0)).toBe('team-001');
    expect(scaleNamespace(99)).toBe('team-001');
    expect(scaleNamespace(100)).toBe('team-002');
    expect(scaleNamespace(1999)).toBe('team-020');
  });
});

describe('pickStreamEntities', () => {
  it('takes the first entities of the order whose canaries are not under analysis', () => {
    expect(
      pickStreamEntities(
        [4, 0, 3, 1, 2],
        3,
        new Set(['svc-00001', 'svc-00004']),
      ),
    ).toEqual([4, 1, 2]);
  });

  it('says what to change when there are not enough', () => {
    expect(() =>
      pickStreamEntities([0, 1, 2], 3, new Set(['svc-00002'])),
    ).toThrow(
      '--stream-entities 3: only 2 of 3 entities have canaries not under analysis',
    );
  });
});

describe('assignStreams', () => {
  it('spreads streams evenly, each user with at most one stream per entity', () => {
    const slots = assignStreams(1000, 100);
    expect(viewersNeeded(1000, 100)).toBe(10);
    const perEntity = new Map<number, number>();
    const pairs = new Set<string>();
    for (const s of slots) {
      perEntity.set(s.entity, (perEntity.get(s.entity) ?? 0) + 1);
      pairs.add(`${s.viewer}/${s.entity}`);
      expect(s.viewer).toBeLessThan(10);
    }
    expect([...perEntity.values()].every(n => n === 10)).toBe(true);
    expect(pairs.size).toBe(1000);
  });

  it('needs a user more when the streams do not divide evenly', () => {
    expect(viewersNeeded(50, 10)).toBe(5);
    expect(viewersNeeded(55, 10)).toBe(6);
    expect(assignStreams(55, 10)[54]).toEqual({ entity: 4, viewer: 5 });
  });

  it('names one valid static token per user', () => {
    const tokens = viewerTokens(10);
    expect(tokens[0]).toBe('bench-stream-viewer-token-01');
    expect(new Set(tokens).size).toBe(10);
  });
});

describe('planChanges', () => {
  it('sends rate x duration changes on schedule, round-robin over entities, then clusters', () => {
    const plan = planChanges({
      entities: 3,
      clusters: 2,
      rate: 10,
      durationS: 1,
    });
    expect(plan).toHaveLength(10);
    expect(plan.map(c => `${c.entity}@${c.cluster}`)).toEqual([
      '0@0',
      '1@0',
      '2@0',
      '0@1',
      '1@1',
      '2@1',
      '0@0',
      '1@0',
      '2@0',
      '0@1',
    ]);
    expect(plan[3].atMs).toBe(300);
    expect(plan[9].marker).toBe(streamMarker(9));
  });

  it('changes each canary once at the default size', () => {
    const plan = planChanges({
      entities: 100,
      clusters: 5,
      rate: 10,
      durationS: 30,
    });
    expect(plan).toHaveLength(300);
    expect(new Set(plan.map(c => `${c.entity}@${c.cluster}`)).size).toBe(300);
  });
});

describe('summarizeDeliveries', () => {
  it('counts every (change, stream) pair, late or unseen ones as missed', () => {
    const summary = summarizeDeliveries(
      [
        { expected: 3, seenAfterMs: [120, 110, 130] },
        // One stream saw it too late, one never.
        { expected: 3, seenAfterMs: [105, 6000] },
      ],
      5000,
    );
    expect(summary).toEqual({
      samples: 6,
      failures: 2,
      p50: 110,
      p99: 130,
      max: 130,
    });
  });
});

describe('coreShare', () => {
  it('is CPU time over wall time', () => {
    expect(coreShare(7500, 30_000)).toBe(0.25);
    expect(coreShare(1, 3)).toBe(0.333);
    expect(() => coreShare(1, 0)).toThrow('wall time must be positive');
  });
});
