import { mockServices } from '@backstage/backend-test-utils';
import { ObjectChange } from '../watch/types';
import { PromotionMemory, PromotionSource } from './PromotionMemory';
import { Promotion } from './RolloutChangesRepository';

const key = { cluster: 'prod', namespace: 'test', canary: 'podinfo' };
const PROMOTION: Promotion = {
  revision: 'rev-1',
  sourceRevision: `main@sha1:${'a'.repeat(40)}`,
  trackedConfigs: { 'configmap/podinfo-config': 'f0f0f0f0f0f0f0f0' },
};

/** A history whose answers the test gives, counting the reads. */
function history() {
  const reads: string[] = [];
  const queries: number[] = [];
  let answer: () => Promise<Promotion | undefined> = async () => PROMOTION;
  const source: PromotionSource = {
    lastPromotions: async requests => {
      queries.push(requests.length);
      reads.push(...requests.map(r => r.revision));
      return Promise.all(requests.map(() => answer()));
    },
  };
  return {
    source,
    reads,
    queries,
    answer: (next: () => Promise<Promotion | undefined>) => {
      answer = next;
    },
  };
}

function memory(source: PromotionSource, now = () => 0) {
  const logger = mockServices.logger.mock();
  const promotions = new PromotionMemory({
    source,
    logger,
    retryMs: 60_000,
    now,
  });
  const changes: ObjectChange[] = [];
  promotions.subscribe(change => changes.push(change));
  return { promotions, changes, logger };
}

/** A few turns of the event loop: the batch goes out in one, its answer comes in later. */
const settle = async () => {
  for (let turn = 0; turn < 3; turn++) {
    await new Promise(resolve => setImmediate(resolve));
  }
};

describe('PromotionMemory', () => {
  it('answers from memory, reading an unknown promotion once in the background and announcing it', async () => {
    const h = history();
    const { promotions, changes } = memory(h.source);
    expect(promotions.peek(key, 'rev-2')).toBeUndefined();
    expect(promotions.peek(key, 'rev-2')).toBeUndefined();
    await settle();
    expect(changes).toEqual([
      {
        type: 'upsert',
        cluster: 'prod',
        kind: 'Canary',
        namespace: 'test',
        name: 'podinfo',
      },
    ]);
    expect(promotions.peek(key, 'rev-2')).toEqual(PROMOTION);
    expect(await promotions.get(key, 'rev-2')).toEqual(PROMOTION);
    expect(h.reads).toEqual(['rev-2']);
  });

  it('reads what is asked in one turn in one query', async () => {
    const h = history();
    const { promotions, changes } = memory(h.source);
    for (const canary of ['podinfo', 'frontend', 'backend']) {
      expect(promotions.peek({ ...key, canary }, 'rev-2')).toBeUndefined();
    }
    await settle();
    expect(h.queries).toEqual([3]);
    expect(changes.map(c => c.name)).toEqual([
      'podinfo',
      'frontend',
      'backend',
    ]);
    expect(promotions.peek({ ...key, canary: 'backend' }, 'rev-2')).toEqual(
      PROMOTION,
    );
  });

  it('reads again for a new revision of the canary, and after a promotion for other revisions only', async () => {
    const h = history();
    const { promotions } = memory(h.source);
    expect(await promotions.get(key, 'rev-2')).toEqual(PROMOTION);
    // rev-2 was promoted: what was read for rev-2 stays right.
    promotions.promoted(key, 'rev-2');
    expect(await promotions.get(key, 'rev-2')).toEqual(PROMOTION);
    expect(h.reads).toEqual(['rev-2']);
    h.answer(async () => ({ revision: 'rev-2' }));
    expect(await promotions.get(key, 'rev-3')).toEqual({ revision: 'rev-2' });
    // A promotion of another revision (seen by a lagging recorder) drops it.
    promotions.promoted(key, 'rev-2');
    h.answer(async () => ({ revision: 'rev-2', sourceRevision: 'x' }));
    expect(await promotions.get(key, 'rev-3')).toEqual({
      revision: 'rev-2',
      sourceRevision: 'x',
    });
    promotions.forget(key);
    await promotions.get(key, 'rev-3');
    expect(h.reads).toEqual(['rev-2', 'rev-3', 'rev-3', 'rev-3']);
  });

  it('reads "none recorded" again after retryMs, and takes a failed read for none, saying so', async () => {
    const h = history();
    let now = 0;
    const { promotions, changes, logger } = memory(h.source, () => now);
    h.answer(async () => undefined);
    expect(await promotions.get(key, 'rev-2')).toBeUndefined();
    expect(changes).toEqual([]);
    now = 59_999;
    expect(promotions.peek(key, 'rev-2')).toBeUndefined();
    expect(h.reads).toEqual(['rev-2']);
    // Another replica recorded it meanwhile.
    h.answer(async () => PROMOTION);
    now = 60_000;
    expect(promotions.peek(key, 'rev-2')).toBeUndefined();
    await settle();
    expect(promotions.peek(key, 'rev-2')).toEqual(PROMOTION);
    expect(changes).toHaveLength(1);
    expect(h.reads).toEqual(['rev-2', 'rev-2']);

    h.answer(async () => {
      throw new Error('database is down');
    });
    expect(await promotions.get(key, 'rev-9')).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'could not read the promotion before rev-9 of canary test/podinfo in prod: Error: database is down',
      ),
    );
  });
});
