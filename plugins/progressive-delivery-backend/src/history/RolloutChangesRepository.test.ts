import { RolloutChanges } from '@progressive-delivery/plugin-progressive-delivery-common';
import { Knex } from 'knex';
import { historyTestDatabases } from '../__testUtils__/databases';
import { RolloutObservation } from './deriveRollout';
import { RolloutRepository } from './RolloutRepository';

jest.setTimeout(60_000);

const databases = historyTestDatabases();

const T0 = Date.parse('2026-08-10T09:10:30Z');
const MIN = 60_000;
const key = { cluster: 'prod', namespace: 'test', canary: 'podinfo' };
const ENTITY = 'component:default/podinfo';
const SHA = (c: string) => `main@sha1:${c.repeat(40)}`;

function observation(
  revision: string,
  minute: number,
  overrides: Partial<RolloutObservation> = {},
): RolloutObservation {
  return {
    ...key,
    revision,
    startedAt: T0 + minute * MIN,
    outcome: 'progressing',
    maxWeight: 10,
    failedChecks: 0,
    startFromEvent: true,
    ...overrides,
  };
}

function finished(
  revision: string,
  minute: number,
  outcome: 'succeeded' | 'failed',
): RolloutObservation {
  return observation(revision, minute, {
    outcome,
    endedAt: T0 + (minute + 5) * MIN,
  });
}

/** What changed from image `from` to `to`, as deriveRolloutChanges writes it. */
function imageChange(from: string, to: string): RolloutChanges {
  return {
    containers: [
      {
        name: 'podinfod',
        init: false,
        change: 'changed',
        image: { from, to },
        env: [],
        envFrom: [],
        resources: [],
        fields: [],
      },
    ],
    podTemplate: [],
    configs: [],
    configsBasis: 'status',
    notes: [],
    problems: [],
  };
}

describe.each(databases.eachSupportedId())(
  'RolloutChangesRepository on %s',
  id => {
    let knex: Knex;
    let repo: RolloutRepository;

    beforeEach(async () => {
      knex = await databases.init(id);
      repo = await RolloutRepository.fromKnex(knex);
    });

    const list = async (withEvents = true) =>
      (
        await repo.listRollouts({
          entityRef: ENTITY,
          canaries: [key],
          limit: 10,
          withEvents,
        })
      ).items;

    it('stores a rollout’s changes while it runs and lists them with it, not after it ended', async () => {
      await repo.upsertRollout(observation('rev-2', 0), ENTITY, T0);
      await repo.changes.record(
        { ...key, revision: 'rev-2' },
        { changes: imageChange('podinfo:6.0.0', 'podinfo:6.0.1') },
      );
      // A later look refines them while the rollout runs.
      const refined = imageChange('podinfo:6.0.0', 'podinfo:6.0.2');
      await repo.changes.record(
        { ...key, revision: 'rev-2' },
        { changes: refined },
      );
      await repo.upsertRollout(finished('rev-2', 0, 'failed'), ENTITY, T0);
      // A lagging replica's look after the end does not replace them.
      await repo.changes.record(
        { ...key, revision: 'rev-2' },
        { changes: imageChange('podinfo:6.0.0', 'podinfo:9.9.9') },
      );
      const [record] = await list();
      expect(record.outcome).toBe('failed');
      expect(record.changes).toEqual(refined);
      // The summary's reading leaves them out.
      const [summary] = await list(false);
      expect(summary.changes).toBeUndefined();
    });

    it('keeps the workload changes when a later look finds the primary already promoted', async () => {
      await repo.upsertRollout(observation('rev-2', 0), ENTITY, T0);
      const change = imageChange('podinfo:6.0.0', 'podinfo:6.0.1');
      await repo.changes.record(
        { ...key, revision: 'rev-2' },
        { changes: change },
      );
      // Flagger copied the target into the primary, the phase still says WaitingPromotion:
      // the two compare equal; the config part of that look still counts.
      const configs: RolloutChanges['configs'] = [
        {
          kind: 'ConfigMap',
          name: 'podinfo-config',
          change: 'unknown',
          toChecksum: 'abc',
        },
      ];
      await repo.changes.record(
        { ...key, revision: 'rev-2' },
        { changes: { ...imageChange('x', 'x'), containers: [], configs } },
      );
      const [record] = await list();
      expect(record.changes).toEqual({ ...change, configs });
    });

    it('fills what a rollout first seen finished never got, and writes nothing before its row exists', async () => {
      await repo.changes.record(
        { ...key, revision: 'rev-1' },
        { trackedConfigs: { 'configmap/podinfo': 'aaaa' } },
      );
      await repo.upsertRollout(finished('rev-1', 0, 'succeeded'), ENTITY, T0);
      expect((await list())[0].changes).toBeUndefined();
      await repo.changes.record(
        { ...key, revision: 'rev-1' },
        {
          trackedConfigs: { 'configmap/podinfo': 'bbbb' },
          sourceRevision: SHA('b'),
        },
      );
      await repo.changes.record(
        { ...key, revision: 'rev-1' },
        {
          trackedConfigs: { 'configmap/podinfo': 'cccc' },
          sourceRevision: SHA('c'),
        },
      );
      expect(await repo.changes.lastPromotion(key, 'rev-2')).toEqual({
        revision: 'rev-1',
        sourceRevision: SHA('b'),
        trackedConfigs: { 'configmap/podinfo': 'bbbb' },
      });
    });

    it('finds the latest promotion before the running revision: not a failed or running rollout, not another canary’s', async () => {
      const at = (revision: string, source: string) =>
        repo.changes
          .record(
            { ...key, revision },
            {
              sourceRevision: SHA(source),
              trackedConfigs: { 'secret/podinfo': source.repeat(16) },
            },
          )
          .then(() => undefined);
      await repo.upsertRollout(observation('rev-1', 0), ENTITY, T0);
      await at('rev-1', 'a');
      await repo.upsertRollout(finished('rev-1', 0, 'succeeded'), ENTITY, T0);
      await repo.upsertRollout(observation('rev-2', 10), ENTITY, T0);
      await at('rev-2', 'b');
      await repo.upsertRollout(finished('rev-2', 10, 'failed'), ENTITY, T0);
      // Another canary's later promotion.
      const other = { ...key, canary: 'frontend' };
      await repo.upsertRollout(
        { ...observation('rev-9', 20), ...other },
        ENTITY,
        T0,
      );
      await repo.upsertRollout(
        { ...finished('rev-9', 20, 'succeeded'), ...other },
        ENTITY,
        T0,
      );
      await repo.upsertRollout(observation('rev-3', 30), ENTITY, T0);
      await at('rev-3', 'c');

      expect(await repo.changes.lastPromotion(key, 'rev-3')).toEqual({
        revision: 'rev-1',
        sourceRevision: SHA('a'),
        trackedConfigs: { 'secret/podinfo': 'a'.repeat(16) },
      });
      await repo.upsertRollout(finished('rev-3', 30, 'succeeded'), ENTITY, T0);
      // Once rev-3 is promoted, rev-3 itself still compares with rev-1; the next with rev-3.
      expect((await repo.changes.lastPromotion(key, 'rev-3'))?.revision).toBe(
        'rev-1',
      );
      expect(await repo.changes.lastPromotion(key, 'rev-4')).toEqual({
        revision: 'rev-3',
        sourceRevision: SHA('c'),
        trackedConfigs: { 'secret/podinfo': 'c'.repeat(16) },
      });
      expect(
        await repo.changes.lastPromotion({ ...key, canary: 'nope' }, 'rev-1'),
      ).toBeUndefined();
      // Several canaries in one query, each answered as on its own.
      const many = await repo.changes.lastPromotions([
        { key, revision: 'rev-4' },
        { key: other, revision: 'rev-10' },
        { key: { ...key, canary: 'nope' }, revision: 'rev-1' },
        { key, revision: 'rev-3' },
      ]);
      expect(many.map(p => p?.revision)).toEqual([
        'rev-3',
        'rev-9',
        undefined,
        'rev-1',
      ]);
    });

    it('reads stored text that is not what it wrote as nothing', async () => {
      await repo.upsertRollout(observation('rev-1', 0), ENTITY, T0);
      await repo.upsertRollout(finished('rev-1', 0, 'succeeded'), ENTITY, T0);
      await knex('rollouts').update({
        changes: '{"containers": 5}',
        tracked_configs: 'not json',
      });
      expect((await list())[0].changes).toBeUndefined();
      expect(await repo.changes.lastPromotion(key, 'rev-2')).toEqual({
        revision: 'rev-1',
      });
      await knex('rollouts').update({
        changes: 'not json',
        tracked_configs: '{"configmap/a": "1", "configmap/b": 2}',
      });
      expect((await list())[0].changes).toBeUndefined();
      expect(await repo.changes.lastPromotion(key, 'rev-2')).toEqual({
        revision: 'rev-1',
        trackedConfigs: { 'configmap/a': '1' },
      });
    });
  },
);
