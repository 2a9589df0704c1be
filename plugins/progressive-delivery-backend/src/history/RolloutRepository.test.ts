import { RolloutObservation } from './deriveRollout';
import { RolloutRepository, StoredEvent } from './RolloutRepository';
import { historyTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const databases = historyTestDatabases();

const T0 = Date.parse('2026-08-10T09:10:30Z');
const MIN = 60_000;
const key = { cluster: 'prod', namespace: 'test', canary: 'podinfo' };

function observation(
  overrides: Partial<RolloutObservation> = {},
): RolloutObservation {
  return {
    ...key,
    revision: 'rev-2',
    previousRevision: 'rev-1',
    startedAt: T0,
    outcome: 'progressing',
    maxWeight: 10,
    failedChecks: 0,
    startFromEvent: true,
    ...overrides,
  };
}

function event(uid: string, minute: number, message: string): StoredEvent {
  return {
    uid,
    type: 'Normal',
    reason: 'Synced',
    message,
    category: 'other',
    timestamp: new Date(T0 + minute * MIN).toISOString(),
    count: 1,
  };
}

describe.each(databases.eachSupportedId())('RolloutRepository on %s', id => {
  async function repositories(n: number) {
    const knex = await databases.init(id);
    const repos: RolloutRepository[] = [];
    for (let i = 0; i < n; i++) {
      repos.push(await RolloutRepository.fromKnex(knex));
    }
    const list = (entityRef = 'component:default/podinfo', limit = 10) =>
      repos[0].listRollouts({ entityRef, canaries: [key], limit });
    return { knex, repos, list };
  }

  it('keeps one row per revision that only moves forward, whatever order replicas write in', async () => {
    const { repos, list } = await repositories(2);
    const [a, b] = repos;
    const entityRef = 'component:default/podinfo';
    await a.upsertRollout(observation({ maxWeight: 20 }), entityRef, T0);
    await b.upsertRollout(
      observation({
        outcome: 'succeeded',
        endedAt: T0 + 5 * MIN,
        maxWeight: 0,
        failedChecks: 1,
      }),
      entityRef,
      T0,
    );
    // A lagging replica still sees the rollout in progress, at a lower weight and a later start.
    await a.upsertRollout(
      observation({
        maxWeight: 10,
        startedAt: T0 + MIN,
        startFromEvent: false,
      }),
      undefined,
      T0,
    );
    const { items } = await list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      revision: 'rev-2',
      previousRevision: 'rev-1',
      entityRef,
      outcome: 'succeeded',
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(T0 + 5 * MIN).toISOString(),
      durationMs: 5 * MIN,
      maxWeight: 20,
      failedChecks: 1,
    });
  });

  it('writes each rollout once when replicas write at the same time', async () => {
    const { repos, list } = await repositories(3);
    await Promise.all(
      repos.flatMap(repo => [
        repo.upsertRollout(observation(), 'component:default/podinfo', T0),
        repo.upsertEvents(key, [event('e1', 0, 'New revision detected!')]),
      ]),
    );
    const { items } = await list();
    expect(items).toHaveLength(1);
    expect(items[0].events).toHaveLength(1);
  });

  it('does not invent a finished rollout it never saw start, but finishes one it knows', async () => {
    const { repos, list } = await repositories(1);
    const [repo] = repos;
    const unseen = observation({
      revision: 'rev-3',
      outcome: 'failed',
      endedAt: T0 + 3 * MIN,
      startFromEvent: false,
    });
    await repo.upsertRollout(unseen, undefined, T0);
    expect((await list()).items).toEqual([]);

    await repo.upsertRollout(observation({ revision: 'rev-3' }), undefined, T0);
    await repo.upsertRollout(
      {
        ...unseen,
        failureReason:
          'Rolling back podinfo.test failed checks threshold reached 5',
      },
      undefined,
      T0,
    );
    expect((await list()).items).toEqual([
      expect.objectContaining({
        revision: 'rev-3',
        outcome: 'failed',
        failureReason:
          'Rolling back podinfo.test failed checks threshold reached 5',
      }),
    ]);
  });

  it('gives rollouts recorded without an owner the owner found later', async () => {
    const { repos, list } = await repositories(1);
    const [repo] = repos;
    await repo.upsertRollout(
      observation({ revision: 'rev-1', outcome: 'succeeded', endedAt: T0 }),
      undefined,
      T0,
    );
    await repo.upsertRollout(
      observation({ startedAt: T0 + MIN }),
      'component:default/podinfo',
      T0,
    );
    const { items } = await list('component:default/podinfo');
    expect(items.map(r => [r.revision, r.entityRef])).toEqual([
      ['rev-2', 'component:default/podinfo'],
      ['rev-1', 'component:default/podinfo'],
    ]);
  });

  it('marks a rollout superseded when a newer revision starts before it ends', async () => {
    const { repos, list } = await repositories(1);
    const [repo] = repos;
    await repo.upsertRollout(observation({ revision: 'rev-2' }), undefined, T0);
    await repo.upsertRollout(
      observation({ revision: 'rev-3', startedAt: T0 + 2 * MIN }),
      undefined,
      T0,
    );
    const { items } = await list();
    expect(items.map(r => [r.revision, r.outcome, r.endedAt])).toEqual([
      ['rev-3', 'progressing', undefined],
      ['rev-2', 'superseded', new Date(T0 + 2 * MIN).toISOString()],
    ]);
  });

  it('keeps the events, assigns each occurrence to the rollout it happened in, and counts repeats', async () => {
    const { repos, list } = await repositories(1);
    const [repo] = repos;
    await repo.upsertRollout(
      observation({
        revision: 'rev-2',
        outcome: 'succeeded',
        endedAt: T0 + 2 * MIN,
      }),
      undefined,
      T0,
    );
    await repo.upsertRollout(
      observation({ revision: 'rev-3', startedAt: T0 + 3 * MIN }),
      undefined,
      T0,
    );
    // Kubernetes folds the second "New revision detected!" into the first event (count 2).
    const newRevision = 'New revision detected! Scaling up podinfo.test';
    await repo.upsertEvents(key, [
      event('a', 0, newRevision),
      event('b', 1, 'Advance podinfo.test canary weight 10'),
      event('c', 2, 'Promotion completed! Scaling down podinfo.test'),
    ]);
    await repo.upsertEvents(key, [{ ...event('a', 3, newRevision), count: 2 }]);
    await repo.upsertEvents(key, [{ ...event('a', 4, newRevision), count: 3 }]);
    // Seen again by another replica: no new occurrence.
    await repo.upsertEvents(key, [{ ...event('a', 4, newRevision), count: 3 }]);
    const { items } = await list();
    expect(items[0].events.map(e => [e.message, e.count, e.timestamp])).toEqual(
      [[newRevision, 2, new Date(T0 + 4 * MIN).toISOString()]],
    );
    expect(items[1].events.map(e => [e.message, e.count])).toEqual([
      [newRevision, 1],
      ['Advance podinfo.test canary weight 10', 1],
      ['Promotion completed! Scaling down podinfo.test', 1],
    ]);
  });

  it('pages newest first with a cursor, by entity or by canary', async () => {
    const { repos } = await repositories(1);
    const [repo] = repos;
    for (let i = 0; i < 5; i++) {
      await repo.upsertRollout(
        observation({
          revision: `rev-${i}`,
          startedAt: T0 + i * MIN,
          outcome: 'succeeded',
          endedAt: T0 + i * MIN + 30_000,
        }),
        i < 3 ? 'component:default/old-name' : 'component:default/podinfo',
        T0,
      );
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.listRollouts({
        entityRef: 'component:default/podinfo',
        canaries: [key],
        limit: 2,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map(r => r.revision));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['rev-4', 'rev-3', 'rev-2', 'rev-1', 'rev-0']);

    const byEntityOnly = await repo.listRollouts({
      entityRef: 'component:default/podinfo',
      canaries: [],
      limit: 10,
    });
    expect(byEntityOnly.items.map(r => r.revision)).toEqual(['rev-4', 'rev-3']);
    await expect(
      repo.listRollouts({
        entityRef: 'component:default/podinfo',
        canaries: [],
        limit: 10,
        cursor: 'not-a-cursor',
      }),
    ).rejects.toThrow(/cursor is not a nextCursor/);
  });

  it('records who approved and rolled back', async () => {
    const { repos, list } = await repositories(1);
    const [repo] = repos;
    await repo.upsertRollout(observation(), undefined, T0);
    expect(
      await repo.recordActor(
        { ...key, revision: 'rev-2' },
        'approved',
        'user:default/alice',
        T0 + MIN,
      ),
    ).toBe(true);
    expect(
      await repo.recordActor(
        { ...key, revision: 'rev-9' },
        'rolledBack',
        'user:default/bob',
        T0,
      ),
    ).toBe(false);
    expect((await list()).items[0]).toMatchObject({
      approvedBy: 'user:default/alice',
      approvedAt: new Date(T0 + MIN).toISOString(),
    });
    expect((await list()).items[0].rolledBackBy).toBeUndefined();
  });

  it('deletes finished rollouts and events older than the cutoff, never one in progress', async () => {
    const { repos, list } = await repositories(1);
    const [repo] = repos;
    await repo.upsertRollout(
      observation({ revision: 'old', outcome: 'failed', endedAt: T0 + MIN }),
      undefined,
      T0,
    );
    await repo.upsertRollout(
      observation({ revision: 'running', startedAt: T0 + 2 * MIN }),
      undefined,
      T0,
    );
    await repo.upsertEvents(key, [event('x', 0, 'old'), event('y', 10, 'new')]);
    expect(await repo.deleteOlderThan(T0 + 5 * MIN)).toEqual({
      rollouts: 1,
      events: 1,
      points: 0,
    });
    const { items } = await list();
    expect(items.map(r => r.revision)).toEqual(['running']);
    expect(items[0].events.map(e => e.message)).toEqual(['new']);
  });
});
