import fs from 'node:fs/promises';
import path from 'node:path';
import { BACKSTAGE_CLI, NPM, ROOT, run, TSC } from './run';

/** The published packages: their directories under plugins/, dependencies first. */
export const PLUGIN_DIRS = [
  'progressive-delivery-common',
  'progressive-delivery-backend',
  'progressive-delivery',
  'scaffolder-backend-module-progressive-delivery',
] as const;

export type PluginDir = (typeof PLUGIN_DIRS)[number];

const pluginPath = (dir: string) => path.join(ROOT, 'plugins', dir);

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Builds the packages as a release does: declarations from the root `tsc` (only when they are
 * missing: `npm test` runs `tsc` first), then `backstage-cli package build`, the common
 * package first since the others bundle against its declarations.
 */
export async function buildPlugins(): Promise<void> {
  const declarations = PLUGIN_DIRS.map(dir =>
    path.join(ROOT, 'dist-types/plugins', dir, 'src/index.d.ts'),
  );
  if (!(await Promise.all(declarations.map(exists))).every(Boolean)) {
    // Type errors are the tsc step's to report; the build needs only the emitted files.
    await run(process.execPath, [TSC], {
      cwd: ROOT,
      allowFailure: true,
      timeoutMs: 300_000,
    });
  }
  const build = (dir: string) =>
    run(
      process.execPath,
      [BACKSTAGE_CLI, 'package', 'build', '--skip-build-dependencies'],
      { cwd: pluginPath(dir) },
    );
  await build(PLUGIN_DIRS[0]);
  await Promise.all(PLUGIN_DIRS.slice(1).map(build));
}

/**
 * Packs the built packages into `tarballDir` the way `npm publish` would: Backstage's
 * `package prepack` rewrites package.json to its publishConfig (dist entry points, exports,
 * feature metadata, compiled config schema), then `npm pack`. Both run on a copy under
 * `stageDir` (a throw-away workspace whose node_modules links to ours), so the working tree's
 * package.json files are never rewritten while other tests resolve them.
 */
export async function packPlugins(
  stageDir: string,
  tarballDir: string,
): Promise<Record<PluginDir, string>> {
  await fs.mkdir(tarballDir, { recursive: true });
  await fs.mkdir(stageDir, { recursive: true });
  await fs.writeFile(
    path.join(stageDir, 'package.json'),
    JSON.stringify({ name: 'stage', private: true, workspaces: ['plugins/*'] }),
  );
  await fs.copyFile(
    path.join(ROOT, 'tsconfig.json'),
    path.join(stageDir, 'tsconfig.json'),
  );
  await fs.symlink(
    path.join(ROOT, 'node_modules'),
    path.join(stageDir, 'node_modules'),
  );
  const tarballs = {} as Record<PluginDir, string>;
  for (const dir of PLUGIN_DIRS) {
    tarballs[dir] = await packOne(
      dir,
      path.join(stageDir, 'plugins', dir),
      tarballDir,
    );
  }
  return tarballs;
}

async function packOne(
  dir: string,
  staged: string,
  tarballDir: string,
): Promise<string> {
  const source = pluginPath(dir);
  const pkg = JSON.parse(
    await fs.readFile(path.join(source, 'package.json'), 'utf8'),
  );
  await fs.mkdir(staged, { recursive: true });
  for (const entry of [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    ...pkg.files,
  ]) {
    if (await exists(path.join(source, entry))) {
      await fs.cp(path.join(source, entry), path.join(staged, entry), {
        recursive: true,
      });
    }
  }
  await run(process.execPath, [BACKSTAGE_CLI, 'package', 'prepack'], {
    cwd: staged,
  });
  const { stdout } = await run(
    NPM,
    ['pack', '--ignore-scripts', '--json', '--pack-destination', tarballDir],
    { cwd: staged },
  );
  const [{ filename }] = JSON.parse(stdout);
  return path.join(tarballDir, filename);
}
