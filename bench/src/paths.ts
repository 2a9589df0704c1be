import path from 'node:path';

/**
 * The bench package directory. The bench runs from source through tsx (never bundled),
 * so the module's own location is reliable here.
 */
// eslint-disable-next-line no-restricted-syntax
export const BENCH_DIR = path.resolve(__dirname, '..');

/** Entry of the backend child processes. */
export const BACKEND_ENTRY = path.join(
  BENCH_DIR,
  'src',
  'server',
  'backend.ts',
);

/** Backstage's require hook for running a backend from source (what `backstage-cli package start` uses). */
export const NODE_TRANSFORM = require.resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
);
