import { KubeObject } from '../types';

/** One parsed requirement of a label selector. */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses (set-based values contain commas). */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(t => t.length > 0);
}

/**
 * Parses a Kubernetes label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, comma-separated (all must hold).
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTerms(selector).map(term => {
    const set = /^([^\s!=(]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3]
        .split(',')
        .map(v => v.trim())
        .filter(v => v.length > 0);
      return { key: set[1], op: set[2] as 'in' | 'notin', values };
    }
    const neq = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(term);
    if (neq) return { key: neq[1], op: 'neq', value: neq[2] };
    const eq = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(term);
    if (eq) return { key: eq[1], op: 'eq', value: eq[2] };
    const notExists = /^!\s*([^\s!=]+)$/.exec(term);
    if (notExists) return { key: notExists[1], op: 'notexists' };
    if (/^[^\s!=(),]+$/.test(term)) return { key: term, op: 'exists' };
    throw new SelectorError(`unable to parse requirement: ${term}`);
  });
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}

export interface FieldRequirement {
  path: string;
  op: 'eq' | 'neq';
  value: string;
}

/** Field paths Kubernetes supports for every kind, plus the extra ones per kind. */
const FIELDS_FOR_ALL = ['metadata.name', 'metadata.namespace'];
const FIELDS_BY_KIND: Record<string, string[]> = {
  Event: [
    'involvedObject.kind',
    'involvedObject.name',
    'involvedObject.namespace',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Pod: ['spec.nodeName', 'status.phase', 'spec.restartPolicy'],
};

/** Parses a field selector, rejecting fields Kubernetes would not index for the kind. */
export function parseFieldSelector(
  selector: string,
  kind: string,
): FieldRequirement[] {
  const allowed = new Set([...FIELDS_FOR_ALL, ...(FIELDS_BY_KIND[kind] ?? [])]);
  return splitTerms(selector).map(term => {
    const m = /^([^\s!=]+)\s*(!=|==|=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${selector}'`);
    const fieldPath = m[1];
    if (!allowed.has(fieldPath)) {
      throw new SelectorError(`field label not supported: ${fieldPath}`);
    }
    return { path: fieldPath, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] };
  });
}

function fieldValue(obj: KubeObject, fieldPath: string): string {
  if (fieldPath === 'source') {
    const source = obj.source as { component?: string } | undefined;
    return source?.component ?? '';
  }
  let current: unknown = obj;
  for (const part of fieldPath.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? '' : String(current);
}

export function matchesFields(
  requirements: FieldRequirement[],
  obj: KubeObject,
): boolean {
  return requirements.every(r => {
    const v = fieldValue(obj, r.path);
    return r.op === 'eq' ? v === r.value : v !== r.value;
  });
}

/** The `labelSelector` and `fieldSelector` of a list or watch request. */
export function requestSelectors(
  url: URL,
  kind: string,
): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
  const label = url.searchParams.get('labelSelector');
  const field = url.searchParams.get('fieldSelector');
  return {
    labels: label ? parseLabelSelector(label) : [],
    fields: field ? parseFieldSelector(field, kind) : [],
  };
}

/** Whether `obj` passes both selectors (empty selectors pass everything). */
export function matchesSelectors(
  selectors: { labels: LabelRequirement[]; fields: FieldRequirement[] },
  obj: KubeObject,
): boolean {
  const { labels, fields } = selectors;
  return (
    (labels.length === 0 || matchesLabels(labels, obj.metadata.labels)) &&
    (fields.length === 0 || matchesFields(fields, obj))
  );
}
