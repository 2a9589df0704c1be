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

/** Every document of an upstream fixture (`src/__fixtures__/upstream`, see its README). */
export function loadUpstream(file: string): KubeObject[] {
  return loadFixtures(`upstream/${file}`);
}

/** The object of `kind` (and `name`, `namespace` when given) among fixture documents. */
export function pick(
  docs: KubeObject[],
  kind: string,
  name?: string,
  namespace?: string,
): KubeObject {
  const found = docs.find(
    d =>
      d.kind === kind &&
      (name === undefined || d.metadata?.name === name) &&
      (namespace === undefined || d.metadata?.namespace === namespace),
  );
  if (!found) {
    throw new Error(`no ${kind} ${namespace ?? ''}/${name ?? ''} in fixture`);
  }
  return found;
}

/** The objects of `kind` among fixture documents. */
export function pickAll(docs: KubeObject[], kind: string): KubeObject[] {
  return docs.filter(d => d.kind === kind);
}
