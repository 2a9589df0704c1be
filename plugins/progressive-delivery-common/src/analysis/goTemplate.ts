// Flagger renders a query (a MetricTemplate's `spec.query`, a check's inline `query`, its own
// built-in queries) as a Go text/template (pkg/metrics/observers/render.go, fluxcd/flagger
// v1.44.0): no data, option missingkey=error, and one function per field of
// MetricTemplateModel (pkg/apis/flagger/v1beta1/metric.go): name, namespace, target, service,
// ingress, route, interval (strings) and variables (the check's templateVariables, a map).
//
// This file implements the part of the Go template language those templates use: actions that
// call one of those functions, `variables.<key>`, `index variables "<key>"`, string literals,
// comments and trim markers (`{{- ` / ` -}}`). Anything else Go would accept (pipelines, if,
// range, printf, ...) is reported as unsupported rather than rendered wrongly; anything Go
// rejects is reported the way Go and Flagger fail.

/**
 * The values Flagger offers a query template (MetricTemplateModel).
 *
 * @public
 */
export interface FlaggerTemplateModel {
  /** The canary's `metadata.name`. */
  name: string;
  /** The canary's `metadata.namespace`. */
  namespace: string;
  /** `spec.targetRef.name` (for the primary: `<target>-primary`). */
  target: string;
  /** `spec.service.name`, else the target's name. */
  service: string;
  /** `spec.ingressRef.name`, else the target's name. */
  ingress: string;
  /** `spec.routeRef.name`, else the target's name. */
  route: string;
  /** The check's `interval` (Flagger defaults it to `1m` for built-in and inline checks only). */
  interval: string;
  /** The check's `templateVariables`. */
  variables: Record<string, string>;
}

/**
 * Why a template did not render. `parse` and `execute` are failures Flagger has too (it fails
 * the check: "template parsing failed" / "template excution failed"); `unsupported` is Go
 * template syntax this renderer does not implement (Flagger may well render it).
 *
 * @public
 */
export interface FlaggerTemplateError {
  kind: 'parse' | 'execute' | 'unsupported';
  /** 1-based line of the action in the template text. */
  line: number;
  /** The action as written, `{{ ... }}`. */
  action?: string;
  message: string;
  /** For a missing `variables.<key>`: the key. */
  variable?: string;
}

type ModelField = Exclude<keyof FlaggerTemplateModel, 'variables'>;

const MODEL_FIELDS: ReadonlySet<string> = new Set<ModelField>([
  'name',
  'namespace',
  'target',
  'service',
  'ingress',
  'route',
  'interval',
]);

// Go text/template's keywords and predefined functions (text/template/funcs.go).
const GO_KEYWORDS = new Set(
  'block break continue define else end if range template with'.split(' '),
);
const GO_BUILTINS = new Set(
  'and call html index slice js len not or print printf println urlquery eq ge gt le lt ne'.split(
    ' ',
  ),
);

type Command =
  | { kind: 'model'; field: ModelField; fields: string[] }
  | { kind: 'variables'; fields: string[] }
  | { kind: 'index'; key: string }
  | { kind: 'literal'; value: string }
  | { kind: 'data'; key: string };

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; line: number; action: string; command: Command };

/**
 * A template parsed once, to execute against the canary's and the primary's models.
 *
 * @public
 */
export type ParsedFlaggerTemplate =
  | { nodes: ReadonlyArray<unknown> }
  | { error: FlaggerTemplateError };

type Token =
  | { kind: 'ident'; name: string; fields: string[] }
  | { kind: 'string'; value: string }
  | { kind: 'other'; text: string };

const SPACE = ' \t\r\n';
const isSpace = (c: string | undefined) => c !== undefined && SPACE.includes(c);

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) {
    if (text[i] === '\n') line++;
  }
  return line;
}

/** The index just past a quoted string starting at `start`, or -1 when it does not end. */
function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
    } else if (quote === '"' && text[i] === '\n') {
      return -1;
    } else if (text[i] === quote) {
      return i + 1;
    }
  }
  return -1;
}

/** Where the action opened at `start` closes: the index of its body's end and after `}}`. */
function findClose(
  text: string,
  start: number,
): { bodyEnd: number; next: number; trim: boolean } | string {
  let i = start;
  while (i < text.length) {
    if (isSpace(text[i]) && text.startsWith('-}}', i + 1)) {
      return { bodyEnd: i, next: i + 4, trim: true };
    }
    if (text.startsWith('}}', i)) {
      return { bodyEnd: i, next: i + 2, trim: false };
    }
    if (text[i] === '"' || text[i] === '`' || text[i] === "'") {
      const end = skipQuoted(text, i);
      if (end < 0) {
        return text[i] === '`'
          ? 'unterminated raw quoted string'
          : 'unterminated quoted string';
      }
      i = end;
    } else {
      i++;
    }
  }
  return 'unclosed action';
}

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)|("(?:[^"\\\n]|\\.)*")|`([^`]*)`|(\S))/gy;
  for (const match of body.matchAll(pattern)) {
    if (match[1] !== undefined) {
      const fields = match[2] ? match[2].slice(1).split('.') : [];
      tokens.push({ kind: 'ident', name: match[1], fields });
    } else if (match[3] !== undefined) {
      tokens.push({ kind: 'string', value: unquote(match[3]) });
    } else if (match[4] !== undefined) {
      tokens.push({ kind: 'string', value: match[4] });
    } else if (match[5] !== undefined) {
      // Anything else (a field `.x`, `$x`, `|`, `(`, a number): Go syntax not handled here.
      const rest = body.slice(match.index + match[0].length - 1).trim();
      tokens.push({ kind: 'other', text: rest.split(/\s/)[0] });
      break;
    }
  }
  return tokens;
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted);
  } catch {
    return quoted.slice(1, -1);
  }
}

function isDefined(name: string): boolean {
  return (
    MODEL_FIELDS.has(name) ||
    name === 'variables' ||
    GO_BUILTINS.has(name) ||
    GO_KEYWORDS.has(name) ||
    ['true', 'false', 'nil'].includes(name)
  );
}

type CommandError = Omit<FlaggerTemplateError, 'line' | 'action'>;

const UNSUPPORTED: CommandError = {
  kind: 'unsupported',
  message:
    'only {{ name }}, {{ namespace }}, {{ target }}, {{ service }}, {{ ingress }}, ' +
    '{{ route }}, {{ interval }}, {{ variables.<key> }} and {{ index variables "<key>" }} ' +
    'are rendered here',
};

/** The command of a single identifier: a model function or `variables`. */
function identifierCommand(token: Token): Command | undefined {
  if (token.kind !== 'ident') return undefined;
  if (MODEL_FIELDS.has(token.name)) {
    const field = token.name as ModelField;
    return { kind: 'model', field, fields: token.fields };
  }
  return token.name === 'variables'
    ? { kind: 'variables', fields: token.fields }
    : undefined;
}

/** Whether the tokens read `index variables "<key>"`. */
function isIndexOfVariables(tokens: Token[]): boolean {
  const [fn, map, key] = tokens;
  return (
    tokens.length === 3 &&
    fn.kind === 'ident' &&
    fn.name === 'index' &&
    fn.fields.length === 0 &&
    map.kind === 'ident' &&
    map.name === 'variables' &&
    map.fields.length === 0 &&
    key.kind === 'string'
  );
}

/** The command of one action body, or why it is not one. */
function parseCommand(body: string): { command: Command } | CommandError {
  const tokens = tokenize(body);
  if (tokens.length === 0) {
    return { kind: 'parse', message: 'missing value for command' };
  }
  // Go resolves every function name while parsing, before anything runs.
  for (const token of tokens) {
    if (token.kind === 'ident' && !isDefined(token.name)) {
      const message = `function "${token.name}" not defined`;
      return { kind: 'parse', message };
    }
  }
  const [first, , third] = tokens;
  if (first.kind === 'other' && /^[-+](?![0-9.])/.test(first.text)) {
    const message = `bad number syntax: "${first.text.slice(0, 2)}"`;
    return { kind: 'parse', message };
  }
  // `.Field` reads the template's data, which Flagger does not pass (it executes with nil).
  const dataField = first.kind === 'other' && /^\.(\w+)$/.exec(first.text);
  if (tokens.length === 1 && dataField) {
    return { command: { kind: 'data', key: dataField[1] } };
  }
  if (tokens.length === 1 && first.kind === 'string') {
    return { command: { kind: 'literal', value: first.value } };
  }
  const single = tokens.length === 1 ? identifierCommand(first) : undefined;
  if (single) {
    return { command: single };
  }
  if (isIndexOfVariables(tokens) && third.kind === 'string') {
    return { command: { kind: 'index', key: third.value } };
  }
  return UNSUPPORTED;
}

/** A comment action (slash-star ... star-slash) whose body starts at `start`: where the text resumes. */
function readComment(
  text: string,
  start: number,
  line: number,
): { next: number; trim: boolean } | FlaggerTemplateError {
  const end = text.indexOf('*/', start + 2);
  if (end < 0) {
    return { kind: 'parse', line, message: 'unclosed comment' };
  }
  const close = findClose(text, end + 2);
  if (typeof close === 'string' || close.bodyEnd !== end + 2) {
    const message = 'comment ends before closing delimiter';
    return { kind: 'parse', line, message };
  }
  return { next: close.next, trim: close.trim };
}

/** Reads `{{ ... }}` starting at `open`; the node, where the text resumes, and a right trim. */
function readAction(
  text: string,
  open: number,
): { node?: Node; next: number; trim: boolean } | FlaggerTemplateError {
  const line = lineAt(text, open);
  let start = open + 2;
  if (text[start] === '-' && isSpace(text[start + 1])) {
    start += 2;
  }
  // A comment starts right after the delimiter (and its trim marker), as in Go's lexer.
  if (text.startsWith('/*', start)) {
    return readComment(text, start, line);
  }
  const close = findClose(text, start);
  if (typeof close === 'string') {
    return { kind: 'parse', line, message: close };
  }
  const action = text.slice(open, close.next);
  const parsed = parseCommand(text.slice(start, close.bodyEnd));
  if ('command' in parsed) {
    const node: Node = {
      kind: 'action',
      line,
      action,
      command: parsed.command,
    };
    return { node, next: close.next, trim: close.trim };
  }
  return { ...parsed, line, action };
}

/**
 * Parses a query template as Go's text/template would (the subset Flagger's templates use).
 * A Go parse error anywhere wins over unsupported syntax, as Go parses the whole template
 * before it executes any of it.
 *
 * @public
 */
export function parseFlaggerTemplate(text: string): ParsedFlaggerTemplate {
  const nodes: Node[] = [];
  let unsupported: FlaggerTemplateError | undefined;
  let position = 0;
  let trimNext = false;
  for (;;) {
    const open = text.indexOf('{{', position);
    let literal = text.slice(position, open < 0 ? text.length : open);
    if (trimNext) literal = literal.replace(/^[ \t\r\n]+/, '');
    if (open >= 0 && text[open + 2] === '-' && isSpace(text[open + 3])) {
      literal = literal.replace(/[ \t\r\n]+$/, '');
    }
    if (literal) nodes.push({ kind: 'text', text: literal });
    if (open < 0) break;
    const read = readAction(text, open);
    if ('message' in read) {
      if (read.kind === 'parse') return { error: read };
      unsupported ??= read;
      const close = findClose(text, open + 2);
      position = typeof close === 'string' ? text.length : close.next;
      trimNext = false;
      continue;
    }
    if (read.node) nodes.push(read.node);
    position = read.next;
    trimNext = read.trim;
  }
  return unsupported ? { error: unsupported } : { nodes };
}

const hasKey = (map: Record<string, string>, key: string) =>
  Object.prototype.hasOwnProperty.call(map, key);

function formatMap(map: Record<string, string>): string {
  const entries = Object.keys(map)
    .sort()
    .map(key => `${key}:${map[key]}`);
  return `map[${entries.join(' ')}]`;
}

function evaluate(
  command: Command,
  model: FlaggerTemplateModel,
): string | CommandError {
  switch (command.kind) {
    case 'literal':
      return command.value;
    case 'data':
      return {
        kind: 'execute',
        message: `nil data; no entry for key "${command.key}"`,
      };
    case 'index':
      // Go's index builtin yields the zero value for a missing key, whatever missingkey says.
      return hasKey(model.variables, command.key)
        ? model.variables[command.key]
        : '';
    case 'model':
      if (command.fields.length > 0) {
        const message = `can't evaluate field ${command.fields[0]} in type string`;
        return { kind: 'execute', message };
      }
      return model[command.field];
    default: {
      const [key, ...more] = command.fields;
      if (key === undefined) return formatMap(model.variables);
      if (!hasKey(model.variables, key)) {
        const message = `map has no entry for key "${key}"`;
        return { kind: 'execute', message, variable: key };
      }
      if (more.length > 0) {
        const message = `can't evaluate field ${more[0]} in type string`;
        return { kind: 'execute', message };
      }
      return model.variables[key];
    }
  }
}

/**
 * Executes a parsed template against a model; the first failing action stops it, as in Go.
 *
 * @public
 */
export function executeFlaggerTemplate(
  parsed: ParsedFlaggerTemplate,
  model: FlaggerTemplateModel,
): { text: string } | { error: FlaggerTemplateError } {
  if ('error' in parsed) return { error: parsed.error };
  let text = '';
  for (const node of parsed.nodes as Node[]) {
    if (node.kind === 'text') {
      text += node.text;
      continue;
    }
    const value = evaluate(node.command, model);
    if (typeof value !== 'string') {
      return { error: { ...value, line: node.line, action: node.action } };
    }
    text += value;
  }
  return { text };
}

/**
 * Renders a query template with Flagger's model (parse, then execute).
 *
 * @public
 */
export function renderFlaggerTemplate(
  template: string,
  model: FlaggerTemplateModel,
): { text: string } | { error: FlaggerTemplateError } {
  return executeFlaggerTemplate(parseFlaggerTemplate(template), model);
}

/**
 * Collapses every run of whitespace to one space, as Flagger's Prometheus client does before
 * it sends a query (pkg/metrics/providers/prometheus.go, trimQuery: Go's `\s+`).
 *
 * @public
 */
export function collapsePromQLWhitespace(query: string): string {
  return query.replace(/[\t\n\f\r ]+/g, ' ');
}
