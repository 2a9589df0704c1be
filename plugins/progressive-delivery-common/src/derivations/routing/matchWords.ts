// Route match conditions in words (`header x-canary = insider`), for VirtualService
// HTTPMatchRequest / L4MatchAttributes and Gateway API HTTPRouteMatch alike.
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  asStringMap,
  UnknownRecord,
} from '../read';

/** One condition of a match entry. */
interface Condition {
  text: string;
  /**
   * Narrows the route to some clients (headers, query, source): what makes an A/B or a
   * sticky-cookie route, unlike path, method or port conditions that every route of the
   * service shares (Flagger copies `spec.service.match` into each route).
   */
  selective: boolean;
  /** Matches the Cookie header: Flagger's session-affinity routes. */
  cookie: boolean;
}

/** The match entries of a route (alternatives) in words, and what kind of route they make. */
export interface RouteMatches {
  /** One entry per alternative; conditions of an entry joined with "and". */
  words: string[];
  selective: boolean;
  cookie: boolean;
}

/** Istio StringMatch: `{exact}`, `{prefix}` or `{regex}`. */
function stringMatch(value: unknown): string | undefined {
  const match = asRecord(value);
  const exact = asString(match?.exact);
  if (exact !== undefined) {
    return `= ${exact}`;
  }
  const prefix = asString(match?.prefix);
  if (prefix !== undefined) {
    return `starts with ${prefix}`;
  }
  const regex = asString(match?.regex);
  return regex !== undefined ? `~ ${regex}` : undefined;
}

function headerCondition(name: string, operation: string): Condition {
  const cookie = name.toLowerCase() === 'cookie';
  return {
    text: cookie ? `cookie ${operation}` : `header ${name} ${operation}`,
    selective: true,
    cookie,
  };
}

function pathCondition(operation: string): Condition | undefined {
  // A prefix of "/" matches every request: Flagger's default route condition, not worth words.
  if (operation === 'starts with /') {
    return undefined;
  }
  return { text: `path ${operation}`, selective: false, cookie: false };
}

function plain(text: string): Condition {
  return { text, selective: false, cookie: false };
}

function selective(text: string): Condition {
  return { text, selective: true, cookie: false };
}

function mapConditions(
  value: unknown,
  make: (name: string, operation: string) => Condition,
): Condition[] {
  return Object.entries(asRecord(value) ?? {}).flatMap(([name, match]) => {
    const operation = stringMatch(match);
    return operation ? [make(name, operation)] : [];
  });
}

/** An Istio HTTPMatchRequest or L4MatchAttributes entry. */
function istioConditions(entry: UnknownRecord): Condition[] {
  const conditions: Condition[] = [];
  const uri = stringMatch(entry.uri);
  const path = uri ? pathCondition(uri) : undefined;
  if (path) {
    conditions.push(path);
  }
  const method = stringMatch(entry.method);
  if (method) {
    conditions.push(plain(`method ${method}`));
  }
  const authority = stringMatch(entry.authority);
  if (authority) {
    conditions.push(plain(`authority ${authority}`));
  }
  conditions.push(...mapConditions(entry.headers, headerCondition));
  conditions.push(
    ...mapConditions(entry.queryParams, (name, op) =>
      selective(`query ${name} ${op}`),
    ),
  );
  conditions.push(
    ...mapConditions(entry.withoutHeaders, (name, op) =>
      selective(`without header ${name} ${op}`),
    ),
  );
  for (const [key, value] of Object.entries(
    asStringMap(entry.sourceLabels) ?? {},
  )) {
    conditions.push(selective(`source label ${key} = ${value}`));
  }
  const sourceNamespace = asString(entry.sourceNamespace);
  if (sourceNamespace) {
    conditions.push(selective(`source namespace ${sourceNamespace}`));
  }
  const port = asNumber(entry.port);
  if (port !== undefined) {
    conditions.push(plain(`port ${port}`));
  }
  return conditions;
}

const GATEWAY_OPERATIONS: Record<string, string> = {
  Exact: '=',
  PathPrefix: 'starts with',
  RegularExpression: '~',
};

/** A Gateway API `{type, value}` match; `type` defaults to Exact (PathPrefix for paths). */
function gatewayOperation(
  match: unknown,
  defaultType: string,
): string | undefined {
  const value = asString(asRecord(match)?.value);
  if (value === undefined) {
    return undefined;
  }
  const type = asString(asRecord(match)?.type) ?? defaultType;
  return `${GATEWAY_OPERATIONS[type] ?? type} ${value}`;
}

/** A Gateway API HTTPRouteMatch. */
function gatewayConditions(entry: UnknownRecord): Condition[] {
  const conditions: Condition[] = [];
  const pathOperation = gatewayOperation(entry.path, 'PathPrefix');
  const path = pathOperation ? pathCondition(pathOperation) : undefined;
  if (path) {
    conditions.push(path);
  }
  const method = asString(entry.method);
  if (method) {
    conditions.push(plain(`method = ${method}`));
  }
  for (const header of asArray(entry.headers) ?? []) {
    const name = asString(asRecord(header)?.name);
    const operation = gatewayOperation(header, 'Exact');
    if (name && operation) {
      conditions.push(headerCondition(name, operation));
    }
  }
  for (const param of asArray(entry.queryParams) ?? []) {
    const name = asString(asRecord(param)?.name);
    const operation = gatewayOperation(param, 'Exact');
    if (name && operation) {
      conditions.push(selective(`query ${name} ${operation}`));
    }
  }
  return conditions;
}

function describe(
  entries: unknown,
  conditionsOf: (entry: UnknownRecord) => Condition[],
): RouteMatches {
  const all = (asArray(entries) ?? [])
    .map(asRecord)
    .filter((entry): entry is UnknownRecord => entry !== undefined)
    .map(conditionsOf);
  return {
    words: all
      .map(conditions => conditions.map(c => c.text).join(' and '))
      .filter(text => text !== ''),
    selective: all.some(conditions => conditions.some(c => c.selective)),
    cookie: all.some(conditions => conditions.some(c => c.cookie)),
  };
}

/** The `match` list of a VirtualService HTTP or TCP route. */
export function describeIstioMatches(match: unknown): RouteMatches {
  return describe(match, istioConditions);
}

/** The `matches` list of an HTTPRoute rule. */
export function describeGatewayMatches(matches: unknown): RouteMatches {
  return describe(matches, gatewayConditions);
}
