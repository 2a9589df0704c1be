import {
  KubeEvent,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// The real-shaped Flagger objects of the common package (origins in its __fixtures__/README.md).
const fixturesDir = join(
  dirname(
    require.resolve(
      '@progressive-delivery/plugin-progressive-delivery-common/package.json',
    ),
  ),
  'src',
  '__fixtures__',
);

/** The objects of a common fixture file, one per YAML document. */
export function loadFixtureDocuments(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(join(fixturesDir, file), 'utf8'))
    .map(doc => doc.toJS() as KubeObject | null)
    .filter((doc): doc is KubeObject => doc !== null);
}

/** The YAML files of a folder of the common fixtures, e.g. `upstream`. */
export function fixtureFiles(folder: string): string[] {
  return readdirSync(join(fixturesDir, folder))
    .filter(file => file.endsWith('.yaml'))
    .sort()
    .map(file => `${folder}/${file}`);
}

/** The first object of a common fixture file. */
export function loadFixture(file: string): KubeObject {
  return loadFixtureDocuments(file)[0];
}

/** The events of `flagger-canary-events.yaml` whose names start with the prefix. */
export function loadEvents(prefix = ''): KubeEvent[] {
  const list = loadFixture('flagger-canary-events.yaml') as {
    items?: KubeEvent[];
  };
  return (list.items ?? []).filter(e => e.metadata?.name?.startsWith(prefix));
}
