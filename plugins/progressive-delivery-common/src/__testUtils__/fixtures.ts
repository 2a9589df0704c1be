import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeEvent, KubeObject } from '../kubernetes';

/** Every document of a fixture file (`src/__fixtures__`). */
export function loadFixtures(file: string): KubeObject[] {
  const text = readFileSync(
    join(__dirname, '..', '__fixtures__', file),
    'utf8',
  );
  return parseAllDocuments(text)
    .map(doc => doc.toJS() as KubeObject | null)
    .filter((doc): doc is KubeObject => doc !== null);
}

/** The single object of a fixture file, or the one of the given kind. */
export function loadFixture(file: string, kind?: string): KubeObject {
  const docs = loadFixtures(file);
  const found = kind ? docs.find(d => d.kind === kind) : docs[0];
  if (!found) {
    throw new Error(`no ${kind ?? 'object'} in ${file}`);
  }
  return found;
}

/** The events of `flagger-canary-events.yaml` whose names start with the prefix. */
export function loadEvents(prefix: string): KubeEvent[] {
  const list = loadFixture('flagger-canary-events.yaml') as {
    items?: KubeEvent[];
  };
  return (list.items ?? []).filter(e => e.metadata?.name?.startsWith(prefix));
}

/** A deep copy to modify in a test. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
