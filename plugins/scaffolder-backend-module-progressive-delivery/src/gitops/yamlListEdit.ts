import { isSeq, parseDocument, YAMLSeq } from 'yaml';

export type ListEditResult =
  | { status: 'added'; text: string }
  | { status: 'present'; existing: string };

/**
 * Appends `entry` to the list at `path` of a YAML file, keeping every other entry, comment and the
 * file's formatting. Path-like entries compare equal regardless of `./` prefixes and trailing
 * slashes, so `../../base/team-a/` counts as `../../base/team-a`.
 */
export function addToYamlList(
  text: string,
  path: string[],
  entry: string,
  fileName: string,
): ListEditResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new Error(`${fileName} is not valid YAML: ${doc.errors[0].message}`);
  }
  const wanted = normalizeEntry(entry);
  const node = doc.getIn(path, true);
  if (node === undefined || node === null) {
    const seq = new YAMLSeq();
    seq.add(doc.createNode(entry));
    doc.setIn(path, seq);
    return { status: 'added', text: doc.toString() };
  }
  if (!isSeq(node)) {
    throw new Error(`${fileName}: ${path.join('.')} is not a list`);
  }
  for (const item of node.items) {
    const value = String((item as { value?: unknown }).value ?? item);
    if (normalizeEntry(value) === wanted) {
      return { status: 'present', existing: value };
    }
  }
  node.add(doc.createNode(entry));
  return { status: 'added', text: doc.toString() };
}

function normalizeEntry(entry: string): string {
  return entry
    .trim()
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
}
