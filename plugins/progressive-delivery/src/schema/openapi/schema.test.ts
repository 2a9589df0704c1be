// This test runs in Node, not in a browser: it regenerates the types from the spec file.
/* eslint-disable no-restricted-imports */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { resolve } from 'path';

const SPEC = resolve(
  __dirname,
  '../../../../progressive-delivery-backend/src/schema/openapi.yaml',
);
const GENERATED = resolve(__dirname, 'generated/schema.ts');

/** Runs a package's command line (openapi-typescript's is an ES module, which Jest cannot load). */
function run(pkg: string, bin: string, args: string[], input?: string): string {
  const script = resolve(require.resolve(`${pkg}/package.json`), '..', bin);
  return execFileSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
}

/** What `npm run generate` writes. */
function generate(): string {
  const types = run('openapi-typescript', 'bin/cli.js', [SPEC]);
  return run(
    'prettier',
    'bin-prettier.js',
    ['--stdin-filepath', GENERATED],
    types,
  );
}

describe('the types generated from the OpenAPI spec', () => {
  it('match the backend’s spec (run `npm run generate` in this package after changing it)', () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(generate());
  });
});
