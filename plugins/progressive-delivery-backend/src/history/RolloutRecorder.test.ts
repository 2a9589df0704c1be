import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  loadEvents,
  loadFixture,
  loadFixtureDocuments,
} from '../__testUtils__/fixtures';
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
    const rollouts = (
      canary = { cluster: 'prod', namespace: 'test', canary: 'podinfo' },
    ) =>
      repository.listRollouts({
        entityRef: 'component:default/podinfo',
        canaries: [canary],
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

  it("fills in the owner of rows recorded without one, also an earlier run's", async () => {
    const knex = await databases.init('SQLITE_3');
    const repository = await RolloutRepository.fromKnex(knex);
    const owners = () =>
      knex('rollouts').select('revision', 'entity_ref').orderBy('revision');
    const recorderWith = (
      store: ObjectStore,
      owner: () => string | undefined,
    ) =>
      new RolloutRecorder({
        store,
        events: new EventHistory(),
        repository,
        entityRefOf: async () => owner(),
        logger: mockServices.logger.mock(),
      });
    // An earlier run recorded rev-1 while the catalog did not know the canary yet.
    const canary = withUid(loadFixture('flagger-canary-progressing.yaml'));
    const earlierStore = new ObjectStore();
    const earlier = recorderWith(earlierStore, () => undefined);
    earlier.start();
    earlierStore.upsert('prod', canary);
    await waitFor(owners, rows => rows.length === 1, { what: 'rev-1' });
    earlier.stop();

    // This run: rev-2 first without an owner, then the catalog knows it.
    const store = new ObjectStore();
    const catalog: { owner?: string } = {};
    const recorder = recorderWith(store, () => catalog.owner);
    recorder.start();
    const rev2 = {
      ...canary,
      status: { ...(canary.status as object), lastAppliedSpec: 'rev-2' },
    };
    store.upsert('prod', rev2);
    await waitFor(owners, rows => rows.length === 2, { what: 'rev-2' });
    expect((await owners()).map(r => r.entity_ref)).toEqual([null, null]);
    const owner = 'component:default/podinfo';
    catalog.owner = owner;
    store.upsert('prod', {
      ...rev2,
      metadata: { ...rev2.metadata, resourceVersion: '2' },
    });
    await waitFor(owners, rows => rows.every(r => r.entity_ref === owner), {
      what: 'the owner on both rows',
    });
    recorder.stop();
  });

  it('records the canaries of a cluster that is still listing once it is done', async () => {
    const knex = await databases.init('SQLITE_3');
    const repository = await RolloutRepository.fromKnex(knex);
    const store = new ObjectStore();
    const cluster = { listing: true };
    const recorder = new RolloutRecorder({
      store,
      events: new EventHistory(),
      repository,
      entityRefOf: async () => 'component:default/podinfo',
      listing: name => name === 'prod' && cluster.listing,
      logger: mockServices.logger.mock(),
    });
    recorder.start();
    store.upsert(
      'prod',
      withUid(loadFixture('flagger-canary-progressing.yaml')),
    );
    const rows = () => knex('rollouts').select('canary', 'outcome');
    await new Promise(r => setTimeout(r, 700));
    expect(await rows()).toEqual([]);
    cluster.listing = false;
    await waitFor(rows, r => r.length === 1, { what: 'the deferred rollout' });
    expect(await rows()).toEqual([
      { canary: 'podinfo', outcome: 'progressing' },
    ]);
    recorder.stop();
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

  // The highest weight comes from the router object, as the delivery state reads it: Flagger
  // leaves status.canaryWeight at 0 for blue/green and zeroes it while a promotion waits.
  // Fixtures: the common package's __fixtures__/upstream (sources in its README and headers).
  describe('highest weight from the router object', () => {
    async function recordFixture(file: string) {
      const docs = loadFixtureDocuments(`upstream/${file}`);
      const canary = docs.find(d => d.kind === 'Canary')!;
      const { store, rollouts } = await setup(async () => undefined);
      for (const doc of docs.filter(d => d !== canary)) {
        store.upsert('prod', doc);
      }
      store.upsert('prod', canary);
      const ofCanary = () =>
        rollouts({
          cluster: 'prod',
          namespace: canary.metadata!.namespace!,
          canary: canary.metadata!.name!,
        });
      const { items } = await waitFor(ofCanary, r => r.items.length > 0, {
        what: `the rollout of ${file}`,
      });
      return { store, canary, ofCanary, record: items[0] };
    }

    it('is 100 after blue/green routed all traffic to the canary (status.canaryWeight 0)', async () => {
      const { canary, record } = await recordFixture(
        'istio-bluegreen-last-iteration.yaml',
      );
      expect((canary.status as any).canaryWeight).toBe(0);
      expect(record).toMatchObject({ outcome: 'progressing', maxWeight: 100 });
    });

    it("is the HTTPRoute's 50 while a promotion waits (status.canaryWeight zeroed)", async () => {
      const { canary, record } = await recordFixture(
        'gatewayapi-canary-waiting-promotion.yaml',
      );
      expect((canary.status as any).phase).toBe('WaitingPromotion');
      expect(record).toMatchObject({ outcome: 'progressing', maxWeight: 50 });
    });

    it('stays 0 for an A/B test, whose weighted default route keeps all traffic on the primary', async () => {
      const { record } = await recordFixture('gatewayapi-ab-testing.yaml');
      expect(record).toMatchObject({ outcome: 'progressing', maxWeight: 0 });
    });

    it('follows a router change that comes without a canary change', async () => {
      const docs = loadFixtureDocuments(
        'upstream/istio-bluegreen-last-iteration.yaml',
      );
      const canary = docs.find(d => d.kind === 'Canary')!;
      const switched = docs.find(d => d.kind === 'VirtualService')!;
      // The iterations before the switch: all traffic on the primary.
      const before = JSON.parse(JSON.stringify(switched));
      before.spec.http[0].route[0].weight = 100;
      before.spec.http[0].route[1].weight = 0;
      const { store, rollouts } = await setup(async () => undefined);
      store.upsert('prod', before);
      store.upsert('prod', canary);
      await waitFor(rollouts, r => r.items[0]?.maxWeight === 0, {
        what: 'the rollout before the switch',
      });
      store.upsert('prod', switched);
      const { items } = await waitFor(
        rollouts,
        r => r.items[0]?.maxWeight === 100,
        { what: 'the switch to the canary' },
      );
      expect(items).toHaveLength(1);
    });
  });
});
