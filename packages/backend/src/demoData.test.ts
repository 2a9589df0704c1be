import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import progressiveDeliveryPlugin from '@progressive-delivery/plugin-progressive-delivery-backend';
import {
  kubernetesConfig,
  Simulator,
  startSimulator,
} from '@internal/cluster-simulator';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';

// The demo keeps its data across restarts (issue 17): app-config.yaml puts the database in an
// embedded SQLite file under a git-ignored folder. This boots the plugin with exactly the
// demo's `backend.database` section (only the folder moved to a temporary directory), records a
// rollout from the cluster simulator, stops the backend, boots a new one on the same folder and
// finds the same rollout there before the new backend has seen the cluster change again.
jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../../..');
const PD = '/api/progressive-delivery';
const DEV = 'dev-eu-1';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

function demoDatabaseConfig(): { client: string; connection: any } {
  const config = parse(readFileSync(join(ROOT, 'app-config.yaml'), 'utf8'));
  return config.backend.database;
}

async function poll<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  advance?: () => Promise<void>,
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (advance) await advance();
    else await new Promise(r => setTimeout(r, 200));
  }
}

describe("the demo's database", () => {
  let sim: Simulator;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: 'demo',
      port: 0,
      http: true,
      clock: 'virtual',
      startTime: Date.now(),
    });
    dataDir = mkdtempSync(join(tmpdir(), 'pd-demo-data-'));
  });

  afterAll(async () => {
    await sim?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is an embedded SQLite file in a git-ignored folder', () => {
    const database = demoDatabaseConfig();
    expect(database.client).toBe('better-sqlite3');
    expect(typeof database.connection.directory).toBe('string');
    // The directory is relative to packages/backend, where the demo's backend runs.
    const folder = resolve(
      ROOT,
      'packages/backend',
      database.connection.directory,
    );
    const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain(`${folder.slice(ROOT.length + 1)}/`);
  });

  async function boot(): Promise<{ server: Server; stop(): Promise<void> }> {
    const database = demoDatabaseConfig();
    const backend = await startTestBackend({
      features: [
        progressiveDeliveryPlugin,
        databaseServiceFactory,
        catalogServiceMock.factory({ entities: [checkout] }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: {
                ...database,
                connection: { ...database.connection, directory: dataDir },
              },
            },
            kubernetes: kubernetesConfig(sim),
            progressiveDelivery: {
              analysis: { enabled: false },
              notifications: { enabled: false },
            },
          },
        }),
      ],
    });
    return { server: backend.server, stop: () => backend.stop() };
  }

  const history = async (server: Server) =>
    (
      await request(server).get(
        `${PD}/v1/entities/component/default/checkout/history`,
      )
    ).body as { items?: Array<{ id: string; outcome?: string }> };

  it('keeps the rollout history across a restart', async () => {
    const first = await boot();
    sim
      .cluster(DEV)
      .objects.patch('apps/v1', 'Deployment', 'tenant-b', 'checkout', {
        spec: {
          template: {
            metadata: {
              annotations: { 'example.com/revision': String(Date.now()) },
            },
          },
        },
      });
    const recorded = await poll(
      () => history(first.server),
      h => (h.items ?? []).some(r => r.outcome === 'succeeded'),
      'a finished checkout rollout',
      () => sim.clock.advance(30_000),
    );
    await first.stop();
    const files = readdirSync(dataDir);
    expect(files.some(f => f.includes('progressive-delivery'))).toBe(true);
    expect(files.every(f => existsSync(join(dataDir, f)))).toBe(true);

    const second = await boot();
    try {
      // The clock stands still, so nothing new happens: whatever the new backend shows of the
      // rollout, it read from the file.
      const after = await poll(
        () => history(second.server),
        h => (h.items ?? []).length > 0,
        'the history after the restart',
      );
      const ids = (h: typeof after) => (h.items ?? []).map(r => r.id).sort();
      expect(ids(after)).toEqual(ids(recorded));
      expect(after.items).toEqual(recorded.items);
    } finally {
      await second.stop();
    }
  });
});
