import fs from 'node:fs/promises';
import path from 'node:path';
import { run, TSC } from './run';

const FRONTEND = '@progressive-delivery/plugin-progressive-delivery';
const SCAFFOLDER_MODULE =
  '@progressive-delivery/plugin-scaffolder-backend-module-progressive-delivery';

function fail(message: string): never {
  throw new Error(message);
}

/**
 * The frontend as an app build finds it: `app.packages: all` discovery (in @backstage/cli)
 * resolves each dependency's package.json from the app, keeps those of role frontend-plugin
 * and imports `<name>/alpha` when the exports have `./alpha`. Then the one line an app
 * without discovery writes, `features: [progressiveDelivery]`, type-checked by tsc against
 * the installed declarations.
 */
export async function checkFrontendDiscovery(appDir: string): Promise<void> {
  const pkgPath = require.resolve(`${FRONTEND}/package.json`, {
    paths: [appDir],
  });
  if (!pkgPath.startsWith(appDir)) {
    fail(`${FRONTEND} resolved outside the fresh app: ${pkgPath}`);
  }
  const pkg = JSON.parse(await fs.readFile(pkgPath, 'utf8'));
  const pkgDir = path.dirname(pkgPath);
  if (pkg.backstage?.role !== 'frontend-plugin') {
    fail(`role is ${pkg.backstage?.role}, not frontend-plugin`);
  }
  if (pkg.backstage?.features?.['./alpha'] !== '@backstage/FrontendPlugin') {
    fail(
      `no FrontendPlugin feature at ./alpha: ${JSON.stringify(pkg.backstage)}`,
    );
  }
  const alpha = pkg.exports?.['./alpha'];
  for (const key of ['import', 'types'] as const) {
    const file = alpha?.[key];
    if (typeof file !== 'string' || !(await exists(path.join(pkgDir, file)))) {
      fail(
        `exports['./alpha'].${key} is missing or not shipped: ${JSON.stringify(
          alpha,
        )}`,
      );
    }
  }
  const { output, code } = await run(
    process.execPath,
    [
      TSC,
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--module',
      'esnext',
      '--moduleResolution',
      'bundler',
      '--target',
      'es2022',
      '--jsx',
      'react-jsx',
      'App.ts',
    ],
    { cwd: appDir, allowFailure: true },
  );
  if (code !== 0) {
    fail(
      `tsc rejected the one-line features list in the fresh app:\n${output}`,
    );
  }
}

/** The scaffolder module loads from its tarball as a backend feature and ships its CRDs. */
export async function checkScaffolderModule(appDir: string): Promise<void> {
  const script = `
    const mod = require(${JSON.stringify(SCAFFOLDER_MODULE)});
    const feature = mod.default;
    const { resolvePackagePath } = require('@backstage/backend-plugin-api');
    const crds = require('node:fs').readdirSync(
      resolvePackagePath(${JSON.stringify(SCAFFOLDER_MODULE)}, 'crds'));
    console.log(JSON.stringify({ type: feature && feature.$$type, crds }));
  `;
  const { stdout } = await run(process.execPath, ['-e', script], {
    cwd: appDir,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
  if (result.type !== '@backstage/BackendFeature') {
    fail(
      `the scaffolder module's default export is not a BackendFeature: ${stdout}`,
    );
  }
  if (!result.crds.some((f: string) => f.endsWith('.yaml'))) {
    fail(`the scaffolder module ships no CRDs: ${stdout}`);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
