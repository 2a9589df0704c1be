import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { historyTestDatabases } from '../__testUtils__/databases';
import { NotificationLedger, TransitionKey } from './NotificationLedger';

jest.setTimeout(60_000);

const databases = historyTestDatabases();
const migrations = resolvePackagePath(
  '@progressive-delivery/plugin-progressive-delivery-backend',
  'migrations',
);

const KEY: TransitionKey = {
  cluster: 'prod-eu-1',
  namespace: 'tenant-a',
  canary: 'podinfo',
  revision: '5c8d4f7b9d',
  transition: 'gate-waiting:promotion-gate',
};
const T0 = Date.parse('2026-08-10T09:00:00Z');
const MIN = 60_000;

describe.each(databases.eachSupportedId())('NotificationLedger on %s', id => {
  let db: Knex;
  let ledger: NotificationLedger;

  beforeEach(async () => {
    db = await databases.init(id);
    await db.migrate.latest({ directory: migrations });
    ledger = new NotificationLedger(db, { abandonedAfterMs: 10 * MIN });
  });

  it('lets exactly one of many simultaneous claims win', async () => {
    const tokens = Array.from({ length: 8 }, (_, i) => `replica-${i}`);
    const won = await Promise.all(tokens.map(t => ledger.claim(KEY, t, T0)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await ledger.has(KEY)).toBe(true);
    // Another transition of the same rollout is a claim of its own.
    expect(await ledger.claim({ ...KEY, transition: 'failed' }, 'x', T0)).toBe(
      true,
    );
  });

  it('frees a released claim, and keeps a sent one', async () => {
    expect(await ledger.claim(KEY, 'a', T0)).toBe(true);
    await ledger.release(KEY, 'b'); // not the holder: nothing happens
    expect(await ledger.claim(KEY, 'b', T0)).toBe(false);
    await ledger.release(KEY, 'a');
    expect(await ledger.has(KEY)).toBe(false);
    expect(await ledger.claim(KEY, 'b', T0)).toBe(true);
    await ledger.markSent(KEY, 'b', T0 + 1);
    await ledger.release(KEY, 'b');
    expect(await ledger.has(KEY)).toBe(true);
  });

  it('lets a claim that was never sent be taken over once abandoned', async () => {
    expect(await ledger.claim(KEY, 'crashed', T0)).toBe(true);
    expect(await ledger.claim(KEY, 'early', T0 + 9 * MIN)).toBe(false);
    const late = await Promise.all([
      ledger.claim(KEY, 'late-1', T0 + 11 * MIN),
      ledger.claim(KEY, 'late-2', T0 + 11 * MIN),
    ]);
    expect(late.filter(Boolean)).toHaveLength(1);
    // A sent claim is never taken over.
    const winner = late[0] ? 'late-1' : 'late-2';
    await ledger.markSent(KEY, winner, T0 + 11 * MIN);
    expect(await ledger.claim(KEY, 'later', T0 + 60 * MIN)).toBe(false);
  });

  it('deletes rows claimed before the cutoff', async () => {
    await ledger.claim(KEY, 'a', T0);
    await ledger.claim({ ...KEY, transition: 'failed' }, 'a', T0 + 2 * MIN);
    expect(await ledger.deleteOlderThan(T0 + MIN)).toBe(1);
    expect(await ledger.has(KEY)).toBe(false);
    expect(await ledger.has({ ...KEY, transition: 'failed' })).toBe(true);
  });
});
