/**
 * The drop-in, proven from the packed packages (issue 15, "Installable anywhere").
 *
 * 1. Builds the four published packages (`backstage-cli package build`, declarations from the
 *    root tsc when missing) and packs them as `npm publish` would: Backstage's `package
 *    prepack` rewrites package.json to its publishConfig, then `npm pack`. Both run on staged
 *    copies so the working tree's package.json files never change under the other tests.
 * 2. Creates a fresh app in a temp dir outside the workspace: a package.json with
 *    @backstage/backend-defaults and @backstage/plugin-catalog-backend at our lockfile's
 *    versions (so `npm install --prefer-offline` takes them from npm's cache) and our tarballs
 *    by path, and a plain `index.js` backend (no TypeScript build in the fresh app) whose
 *    only line for us is `backend.add(import('@progressive-delivery/plugin-progressive-delivery-backend'))`.
 * 3. Starts the cluster simulator (demo scenario over HTTPS, virtual clock so nothing moves)
 *    in this process and configures the app the way a platform team already has it: the
 *    Kubernetes plugin's `kubernetes.clusterLocatorMethods` (CA from the simulator, no
 *    skipTLSVerify), a file catalog location with one Component annotated
 *    backstage.io/kubernetes-id, a static external-access token, in-memory SQLite. No
 *    `progressiveDelivery` section at all.
 * 4. Starts the app's backend in production mode and polls
 *    GET /api/progressive-delivery/v1/entities/component/default/podinfo until it serves the
 *    canary, then compares it with the simulator's own object (name, namespace, phase).
 * 5. The frontend: the same fresh app has the frontend tarball. A browser build of an app is
 *    minutes of webpack, and the ESM bundle cannot be imported by plain Node (its imports are
 *    resolved by the bundler), so the test checks what the app build relies on instead:
 *    (a) the package resolves from the fresh app and is found the way `app.packages: all`
 *    discovery finds plugins (role frontend-plugin, an `./alpha` export whose files exist,
 *    feature metadata naming a FrontendPlugin), and (b) `tsc` type-checks a one-line
 *    `features: [progressiveDelivery]` against the installed declarations. The scaffolder
 *    module's tarball is installed too and loaded with require (a BackendFeature, its CRDs
 *    shipped).
 *
 * Everything it creates lives under one temp dir, removed at the end; the simulator and the
 * backend are stopped in afterAll. A missing tool or cache fails the test, it never skips.
 * Time: about 1-3 min (builds ~30 s, install from cache ~30-90 s, backend start ~10 s).
 */
import { Simulator, startSimulator } from '@internal/cluster-simulator';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  freePort,
  installApp,
  RunningBackend,
  startAppBackend,
  writeAppPackage,
} from './freshApp';
import { buildPlugins, packPlugins, PluginDir } from './packPlugins';
import { checkFrontendDiscovery, checkScaffolderModule } from './frontendCheck';
import { appConfig, catalogInfo } from './appConfig';

jest.setTimeout(540_000);

const ENTITY_PATH =
  '/api/progressive-delivery/v1/entities/component/default/podinfo';
const PROD = 'prod-eu-1';
const TOKEN = `install-test-${Math.random()
  .toString(36)
  .slice(2)}-static-token`;

describe('the packed packages in a fresh Backstage app', () => {
  let tmp: string;
  let appDir: string;
  let tarballs: Record<PluginDir, string>;
  let sim: Simulator | undefined;
  let backend: RunningBackend | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'pd-install-test-'));
    appDir = path.join(tmp, 'app');
    await buildPlugins();
    tarballs = await packPlugins(
      path.join(tmp, 'stage'),
      path.join(tmp, 'tarballs'),
    );
    await writeAppPackage(appDir, tarballs);
    await installApp(appDir);
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
    if (tmp) {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });

  it('ships each package with its metadata, entry points and files', async () => {
    const installed = async (name: string) =>
      JSON.parse(
        await fs.readFile(
          path.join(appDir, 'node_modules', name, 'package.json'),
          'utf8',
        ),
      );
    const backendPkg = await installed(
      '@progressive-delivery/plugin-progressive-delivery-backend',
    );
    expect(backendPkg).toMatchObject({
      version: '0.1.0',
      license: 'Apache-2.0',
      main: 'dist/index.cjs.js',
      configSchema: 'config.schema.json',
      backstage: {
        role: 'backend-plugin',
        pluginId: 'progressive-delivery',
        features: { '.': '@backstage/BackendFeature' },
      },
    });
    expect(backendPkg.private).toBeUndefined();
    const backendDir = path.join(
      appDir,
      'node_modules/@progressive-delivery/plugin-progressive-delivery-backend',
    );
    const shipped = await fs.readdir(backendDir);
    expect(shipped).toEqual(
      expect.arrayContaining([
        'dist',
        'migrations',
        'config.schema.json',
        'README.md',
      ]),
    );
    expect(shipped).not.toContain('src');
    expect(await fs.readdir(path.join(backendDir, 'migrations'))).not.toEqual(
      [],
    );
    const common = await installed(
      '@progressive-delivery/plugin-progressive-delivery-common',
    );
    expect(common).toMatchObject({
      main: 'dist/index.cjs.js',
      module: 'dist/index.esm.js',
      backstage: { role: 'common-library' },
    });
  });

  it('starts with one backend.add line and serves an entity state from the simulator', async () => {
    sim = await startSimulator({
      scenario: 'demo',
      port: 0,
      clock: 'virtual',
      startTime: Date.now(),
    });
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    const catalogFile = path.join(appDir, 'catalog-info.yaml');
    await fs.writeFile(catalogFile, catalogInfo('podinfo'));
    await fs.writeFile(
      path.join(appDir, 'app-config.yaml'),
      JSON.stringify(
        appConfig({ port, token: TOKEN, catalogFile, clusters: sim.clusters }),
        null,
        2,
      ),
    );
    backend = await startAppBackend(appDir);

    const state = await pollEntityState(backend, `${baseUrl}${ENTITY_PATH}`);
    const prod = state.clusters.find((c: any) => c.cluster === PROD);
    const canary = prod?.canaries?.find((c: any) => c.ref.name === 'podinfo');
    const simPhase = (
      sim
        .cluster(PROD)
        .objects.get('flagger.app/v1beta1', 'Canary', 'tenant-a', 'podinfo')
        ?.status as { phase?: string }
    )?.phase;
    expect(simPhase).toBeTruthy();
    expect(canary).toMatchObject({
      ref: {
        cluster: PROD,
        kind: 'Canary',
        namespace: 'tenant-a',
        name: 'podinfo',
      },
      target: { kind: 'Deployment', name: 'podinfo' },
      progress: { phase: simPhase },
    });
    expect(state.entityRef).toBe('component:default/podinfo');
  });

  it('has the frontend plugin found by app discovery and added with one line', async () => {
    await expect(checkFrontendDiscovery(appDir)).resolves.toBeUndefined();
  });

  it('installs the scaffolder module as a backend feature with its CRDs', async () => {
    await expect(checkScaffolderModule(appDir)).resolves.toBeUndefined();
  });

  /** Polls until the entity's state lists a canary, or fails with the backend's log. */
  async function pollEntityState(running: RunningBackend, url: string) {
    const deadline = Date.now() + 180_000;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (running.process.exitCode !== null) {
        throw new Error(
          `the fresh app's backend exited with ${
            running.process.exitCode
          }:\n${await running.log()}`,
        );
      }
      try {
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const body = await res.text();
        last = `${res.status} ${body.slice(0, 500)}`;
        if (res.ok) {
          const state = JSON.parse(body);
          if (state.clusters?.some((c: any) => c.canaries?.length > 0)) {
            return state;
          }
        }
      } catch (error) {
        last = String(error);
      }
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
    throw new Error(
      `no canary state at ${url} within 180 s; last: ${last}\nbackend log:\n${await running.log()}`,
    );
  }
});
