/**
 * One term of a Kubernetes label selector.
 */
export type SelectorTerm =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

const KEY = '[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?';
const VALUE = '([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?';
const TERM_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => SelectorTerm]> = [
  [
    new RegExp(`^(${KEY})\\s+(in|notin)\\s+\\(([^)]*)\\)$`),
    m => ({
      op: m[3] === 'in' ? 'in' : 'notin',
      key: m[1],
      values: m[4]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    }),
  ],
  [
    new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`),
    m => ({
      op: m[3] === '!=' ? 'neq' : 'eq',
      key: m[1],
      value: m[4],
    }),
  ],
  [new RegExp(`^!\\s*(${KEY})$`), m => ({ op: 'notexists', key: m[1] })],
  [new RegExp(`^(${KEY})$`), m => ({ op: 'exists', key: m[1] })],
];

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(Boolean);
}

/**
 * Parses a label selector (`app=podinfo,tier in (web,api),!legacy`). Throws on syntax errors.
 */
export function parseLabelSelector(selector: string): SelectorTerm[] {
  return splitTerms(selector).map(term => {
    for (const [pattern, build] of TERM_PATTERNS) {
      const match = pattern.exec(term);
      if (match) {
        return build(match);
      }
    }
    throw new Error(`invalid label selector term "${term}"`);
  });
}

export function matchesSelector(
  terms: SelectorTerm[],
  labels: Record<string, string> = {},
): boolean {
  return terms.every(term => {
    const value = labels[term.key];
    switch (term.op) {
      case 'eq':
        return value === term.value;
      case 'neq':
        return value !== term.value;
      case 'in':
        return value !== undefined && term.values.includes(value);
      case 'notin':
        return value === undefined || !term.values.includes(value);
      case 'exists':
        return value !== undefined;
      default:
        return value === undefined;
    }
  });
}
