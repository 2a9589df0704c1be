#!/usr/bin/env node
// Writes src/schema/openapi.generated.ts from src/schema/openapi.yaml, the spec's authority.
// Run after editing the YAML: `node scripts/generate-openapi.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const schemaDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'schema',
);
const spec = parse(readFileSync(join(schemaDir, 'openapi.yaml'), 'utf8'));
writeFileSync(
  join(schemaDir, 'openapi.generated.ts'),
  `// Generated from openapi.yaml by scripts/generate-openapi.mjs; do not edit.\n\nexport const spec = ${JSON.stringify(
    spec,
    null,
    2,
  )} as const;\n`,
);
