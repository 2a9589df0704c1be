import path from 'node:path';
import { build, Plugin } from 'esbuild';
import { BACKEND_ENTRY, BENCH_DIR } from './paths';

/** Where the built benchmark backend goes: inside the bench package, so its imports resolve. */
export const BUILT_BACKEND = path.join(BENCH_DIR, 'dist', 'backend.cjs');

/** This repository's own packages (workspaces), compiled into the build; every other package is loaded as installed. */
const OWN_PACKAGE = /^@(progressive-delivery|internal)\//;

/**
 * Bare imports other than our own packages stay `require`s of the installed packages, as in a
 * backend that `backstage-cli package build` made: dependencies are not bundled.
 */
const installedPackagesExternal: Plugin = {
  name: 'installed-packages-external',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, args =>
      OWN_PACKAGE.test(args.path) ? undefined : { external: true },
    );
  },
};

/**
 * Compiles the benchmark backend (`src/server/backend.ts`) with our plugin and its common
 * package into one CommonJS file, the way a production backend runs them: built JavaScript
 * loaded by plain `node`, without the source transform's hooks and inline source maps of
 * `backstage-cli package start`. The Backstage packages around it (catalog, permissions, the
 * Kubernetes backend) are required from node_modules as published, for every target alike.
 */
export async function buildBenchBackend(): Promise<string> {
  await build({
    entryPoints: [BACKEND_ENTRY],
    outfile: BUILT_BACKEND,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    plugins: [installedPackagesExternal],
    logLevel: 'warning',
  });
  return BUILT_BACKEND;
}
