import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { KubeObject } from '@internal/plugin-progressive-delivery-common';
import { loadEvents, loadFixture } from '../__testUtils__/fixtures';
import { waitFor } from '../__testUtils__/waitFor';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { RolloutRecorder } from './RolloutRecorder';
import { RolloutRepository } from './RolloutRepository';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function withUid(canary: KubeObject): KubeObject {
  return { ...canary, metadata: { ...canary.metadata, uid: 'c-1' } };
}

describe('RolloutRecorder', () => {
  async function setup(entityRefOf: () => Promise<string | undefined>) {
    const repository = await RolloutRepository.fromKnex(
      await databases.init('SQLITE_3'),
    );
    const store = new ObjectStore();
    const events = new EventHistory();
    const logger = mockServices.logger.mock();
    const recorder = new RolloutRecorder({
      store,
      events,
      repository,
      entityRefOf,
      logger,
    });
    recorder.start();
    const rollouts = () =>
      repository.listRollouts({
        entityRef: 'component:default/podinfo',
        canaries: [{ cluster: 'prod', namespace: 'test', canary: 'podinfo' }],
        limit: 10,
      });
    return { store, events, recorder, logger, rollouts };
  }

  it('records a rollout without an owner when the catalog fails, and says so', async () => {
    const { store, events, logger, rollouts } = await setup(async () => {
      throw new Error('catalog is down');
    });
    for (const event of loadEvents('podinfo.success')) {
      events.upsert('prod', event);
    }
    store.upsert('prod', withUid(loadFixture('flagger-canary-succeeded.yaml')));
    const { items } = await waitFor(rollouts, r => r.items.length > 0, {
      what: 'the rollout',
    });
    expect(items[0]).toMatchObject({ outcome: 'succeeded', maxWeight: 30 });
    expect(items[0].entityRef).toBeUndefined();
    // From "New revision detected!" on: all but the initialisation event.
    expect(items[0].events).toHaveLength(11);
    expect(logger.warn).toHaveBeenCalledWith(
      'could not look up the entity of canary test/podinfo in prod: catalog is down',
    );
  });

  it('records who approved the current rollout, and ignores Flux actions', async () => {
    const { store, recorder, rollouts } = await setup(
      async () => 'component:default/podinfo',
    );
    store.upsert(
      'prod',
      withUid(loadFixture('flagger-canary-progressing.yaml')),
    );
    const base = {
      cluster: 'prod',
      namespace: 'test',
      name: 'podinfo',
      actor: 'user:default/alice',
      at: new Date('2026-08-10T09:13:00Z'),
    };
    recorder.noteAction({
      ...base,
      kind: 'Kustomization',
      action: 'reconcile',
    });
    recorder.noteAction({ ...base, kind: 'Canary', action: 'approve' });
    const { items } = await waitFor(
      rollouts,
      r => r.items[0]?.approvedBy !== undefined,
      { what: 'the approval' },
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      outcome: 'progressing',
      entityRef: 'component:default/podinfo',
      approvedBy: 'user:default/alice',
      approvedAt: '2026-08-10T09:13:00.000Z',
    });
    expect(items[0].rolledBackBy).toBeUndefined();
  });
});
