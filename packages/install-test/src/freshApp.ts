import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { NPM, ROOT, run, stopProcess, tail } from './run';

/** The backend of a fresh app: the one line that adds our plugin is the second `add`. */
export const BACKEND_INDEX = `const { createBackend } = require('@backstage/backend-defaults');

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@progressive-delivery/plugin-progressive-delivery-backend'));
backend.start();
`;

/** The frontend of a fresh app (new frontend system): our plugin is one entry of `features`. */
export const APP_FEATURES = `import { FrontendFeature } from '@backstage/frontend-plugin-api';
import progressiveDelivery from '@progressive-delivery/plugin-progressive-delivery/alpha';

export const features: FrontendFeature[] = [progressiveDelivery];
`;

/** The version of a package installed in the workspace (from our package-lock). */
async function workspaceVersion(name: string): Promise<string> {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return JSON.parse(await fs.readFile(file, 'utf8')).version;
}

/**
 * Writes the fresh app's package.json: Backstage's backend packages at the versions our
 * lockfile has (so npm finds them in its cache) and our packages by tarball path.
 */
export async function writeAppPackage(
  appDir: string,
  tarballs: Record<string, string>,
): Promise<void> {
  const upstream = [
    '@backstage/backend-defaults',
    '@backstage/plugin-catalog-backend',
    'better-sqlite3',
  ];
  const dependencies: Record<string, string> = {};
  for (const name of upstream) {
    dependencies[name] = await workspaceVersion(name);
  }
  for (const tarball of Object.values(tarballs)) {
    const { name } = await readPackedName(tarball);
    dependencies[name] = `file:${tarball}`;
  }
  await fs.mkdir(appDir, { recursive: true });
  await fs.writeFile(
    path.join(appDir, 'package.json'),
    JSON.stringify(
      { name: 'fresh-backstage-app', private: true, dependencies },
      null,
      2,
    ),
  );
  await writeSeedLock(appDir, dependencies);
  await fs.writeFile(path.join(appDir, 'index.js'), BACKEND_INDEX);
  await fs.writeFile(path.join(appDir, 'App.ts'), APP_FEATURES);
}

/**
 * Seeds the fresh app's package-lock.json with our lockfile's registry packages (hoisted
 * ones only; workspace links and our own packages left out). npm then reuses those
 * resolutions instead of fetching a packument per package (minutes against the registry),
 * adds our tarballs' entries, and prunes what the app does not need; the tarballs come from
 * npm's cache, which the workspace's install filled.
 */
async function writeSeedLock(
  appDir: string,
  dependencies: Record<string, string>,
): Promise<void> {
  const lock = JSON.parse(
    await fs.readFile(path.join(ROOT, 'package-lock.json'), 'utf8'),
  );
  const packages: Record<string, unknown> = {
    '': { name: 'fresh-backstage-app', dependencies },
  };
  for (const [key, entry] of Object.entries<any>(lock.packages)) {
    if (
      key.startsWith('node_modules/') &&
      !entry.link &&
      !key.startsWith('node_modules/@progressive-delivery/') &&
      !key.startsWith('node_modules/@internal/')
    ) {
      packages[key] = entry;
    }
  }
  await fs.writeFile(
    path.join(appDir, 'package-lock.json'),
    JSON.stringify({
      name: 'fresh-backstage-app',
      lockfileVersion: 3,
      requires: true,
      packages,
    }),
  );
}

/** The package name inside a tarball, read with tar (no extraction to disk). */
async function readPackedName(tarball: string): Promise<{ name: string }> {
  const { stdout } = await run('tar', [
    '-xzOf',
    tarball,
    'package/package.json',
  ]);
  return JSON.parse(stdout);
}

/**
 * npm install from the local cache where it can (`--prefer-offline`), without install scripts:
 * the only native addon the backend needs is better-sqlite3, whose build for this Node (same
 * version, same ABI) the workspace has already made; compiling it again takes minutes. Nothing
 * else the app loads runs an install script that its runtime depends on.
 */
export async function installApp(appDir: string): Promise<void> {
  await run(
    NPM,
    [
      'install',
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { cwd: appDir, timeoutMs: 300_000 },
  );
  const build = path.join('node_modules', 'better-sqlite3', 'build');
  await fs.cp(path.join(ROOT, build), path.join(appDir, build), {
    recursive: true,
  });
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningBackend {
  process: ChildProcess;
  /** What the backend has logged so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the fresh app's backend (`node index.js`) in production mode. */
export async function startAppBackend(appDir: string): Promise<RunningBackend> {
  const logFile = path.join(appDir, 'backend.log');
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, ['index.js'], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return {
    process: child,
    log: async () => tail(await fs.readFile(logFile, 'utf8').catch(() => '')),
    stop: async () => {
      await stopProcess(child);
      out.end();
    },
  };
}
