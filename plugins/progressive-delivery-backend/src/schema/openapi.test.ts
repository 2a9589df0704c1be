import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { spec } from './openapi/generated';

describe('openapi/generated/router.ts', () => {
  it('matches openapi.yaml (run `npm run generate` after editing it)', () => {
    const yaml = parse(readFileSync(join(__dirname, 'openapi.yaml'), 'utf8'));
    expect(spec).toEqual(yaml);
  });
});
