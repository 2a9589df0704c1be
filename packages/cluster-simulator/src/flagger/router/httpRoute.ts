import { KubeObject } from '../../types';
import {
  Canary,
  HeaderOperations,
  controllerRef,
  serviceNames,
} from '../model';

/**
 * The HTTPRoute `<apex>` Flagger's Gateway API router writes
 * (pkg/router/gateway_api.go Reconcile/SetRoutes/GetRoutes, and
 * gateway_api_v1beta1.go, the same at gateway.networking.k8s.io/v1beta1).
 * Session affinity, URL rewrites, CORS and service-level mirrors are not
 * simulated.
 */

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** Annotations Flagger's filterMetadata adds so Flux leaves the route alone. */
const FLUX_HANDS_OFF = {
  'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
  'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
};

interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

/** Istio's HTTPMatchRequest, the shape of `service.match` and `analysis.match`. */
interface IstioMatch {
  uri?: StringMatch;
  method?: StringMatch;
  headers?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
}

interface HTTPRouteMatch {
  path?: { type: string; value: string };
  headers?: Array<{ type: string; name: string; value: string }>;
  queryParams?: Array<{ type: string; name: string; value: string }>;
  method?: string;
}

interface BackendRef {
  group: string;
  kind: string;
  name: string;
  port: number;
  weight: number;
}

interface HTTPRouteRule {
  matches: HTTPRouteMatch[];
  filters?: unknown[];
  backendRefs: BackendRef[];
  timeouts?: { request?: string; backendRequest?: string };
}

export interface HTTPRouteSpec {
  parentRefs: Array<Record<string, unknown>>;
  hostnames?: string[];
  rules: HTTPRouteRule[];
}

/** Exact or regular-expression matches of headers or query parameters (Go's map order made stable). */
function keyedMatches(
  entries: Record<string, StringMatch> | undefined,
  exactType: string,
  regexType: string,
) {
  return Object.keys(entries ?? {})
    .sort()
    .flatMap(name => {
      const m = entries![name];
      if (m.exact) return [{ type: exactType, name, value: m.exact }];
      if (m.regex) return [{ type: regexType, name, value: m.regex }];
      return [];
    });
}

/** mapRouteMatches: Istio request matches to Gateway API route matches. */
export function mapRouteMatches(
  matches: unknown[] | undefined,
): HTTPRouteMatch[] {
  const out: HTTPRouteMatch[] = [];
  for (const raw of (matches ?? []) as IstioMatch[]) {
    const match: HTTPRouteMatch = {};
    const uri = raw.uri;
    if (uri?.regex)
      match.path = { type: 'RegularExpression', value: uri.regex };
    else if (uri?.exact) match.path = { type: 'Exact', value: uri.exact };
    else if (uri?.prefix)
      match.path = { type: 'PathPrefix', value: uri.prefix };
    const headers = keyedMatches(raw.headers, 'Exact', 'RegularExpression');
    if (headers.length) match.headers = headers;
    const query = keyedMatches(raw.queryParams, 'Exact', 'RegularExpression');
    if (query.length) match.queryParams = query;
    if (raw.method?.exact) match.method = raw.method.exact;
    if (Object.keys(match).length > 0) out.push(match);
  }
  return out;
}

/** mergeMatchConditions: each analysis match's headers/query on each service match. */
function mergeMatchConditions(
  analysis: HTTPRouteMatch[],
  service: HTTPRouteMatch[],
): HTTPRouteMatch[] {
  if (analysis.length === 0) return service;
  if (service.length === 0) return analysis;
  return analysis.flatMap(a =>
    service.map(s => ({
      ...structuredClone(s),
      ...(a.headers?.length ? { headers: a.headers } : {}),
      ...(a.queryParams?.length ? { queryParams: a.queryParams } : {}),
    })),
  );
}

/** makeFilters: the request/response header modifiers of `service.headers`. */
function makeFilters(cd: Canary): unknown[] | undefined {
  const headers = cd.spec.service.headers;
  const modifier = (ops?: HeaderOperations) => {
    const list = (m?: Record<string, string>) =>
      m
        ? Object.keys(m)
            .sort()
            .map(name => ({ name, value: m[name] }))
        : undefined;
    return {
      ...(ops?.add ? { add: list(ops.add) } : {}),
      ...(ops?.set ? { set: list(ops.set) } : {}),
      ...(ops?.remove ? { remove: ops.remove } : {}),
    };
  };
  const filters: unknown[] = [];
  if (headers?.request) {
    filters.push({
      type: 'RequestHeaderModifier',
      requestHeaderModifier: modifier(headers.request),
    });
  }
  if (headers?.response) {
    filters.push({
      type: 'ResponseHeaderModifier',
      responseHeaderModifier: modifier(headers.response),
    });
  }
  return filters.length ? filters : undefined;
}

function rule(
  cd: Canary,
  matches: HTTPRouteMatch[],
  backendRefs: BackendRef[],
): HTTPRouteRule {
  const { timeout, backendTimeout } = cd.spec.service;
  const filters = makeFilters(cd);
  return {
    matches,
    ...(filters ? { filters } : {}),
    backendRefs,
    ...(timeout || backendTimeout
      ? {
          timeouts: {
            ...(timeout ? { request: timeout } : {}),
            ...(backendTimeout ? { backendRequest: backendTimeout } : {}),
          },
        }
      : {}),
  };
}

/**
 * The route spec for a split: the weighted rule (with the A/B matches when
 * `analysis.match` is set) and, for A/B, the default rule to the primary.
 */
export function httpRouteSpec(
  cd: Canary,
  primaryWeight: number,
  canaryWeight: number,
): HTTPRouteSpec {
  const names = serviceNames(cd);
  const { port } = cd.spec.service;
  const backend = (name: string, weight: number): BackendRef => ({
    group: '',
    kind: 'Service',
    name,
    port,
    weight,
  });
  let matches = mapRouteMatches(cd.spec.service.match);
  if (matches.length === 0) {
    matches = [{ path: { type: 'PathPrefix', value: '/' } }];
  }
  const hosts = cd.spec.service.hosts ?? [];
  const abMatches = mapRouteMatches(cd.spec.analysis?.match);
  const weighted = rule(
    cd,
    abMatches.length ? mergeMatchConditions(abMatches, matches) : matches,
    [
      backend(names.primary, primaryWeight),
      backend(names.canary, canaryWeight),
    ],
  );
  const rules = [weighted];
  if (abMatches.length) {
    rules.push(rule(cd, matches, [backend(names.primary, 100)]));
  }
  return {
    parentRefs: (cd.spec.service.gatewayRefs ?? []).map(ref => ({ ...ref })),
    ...(hosts.length ? { hostnames: [...hosts] } : {}),
    rules,
  };
}

/** The HTTPRoute `<apex>` as Flagger creates it: 100/0, owned by the canary. */
export function generatedHTTPRoute(
  cd: Canary,
  apiVersion: string,
  primaryWeight = 100,
  canaryWeight = 0,
): KubeObject {
  const apex = cd.spec.service.apex;
  return {
    apiVersion,
    kind: 'HTTPRoute',
    metadata: {
      name: serviceNames(cd).apex,
      namespace: cd.metadata.namespace,
      labels: { ...(apex?.labels ?? {}) },
      annotations: { ...(apex?.annotations ?? {}), ...FLUX_HANDS_OFF },
      ownerReferences: [controllerRef(cd)],
    },
    spec: httpRouteSpec(cd, primaryWeight, canaryWeight),
  };
}

/** The spec with every backend weight blanked, for Reconcile's comparison (cmpopts.IgnoreFields Weight). */
export function withoutWeights(spec: unknown): string {
  return JSON.stringify(spec, (key, value) =>
    key === 'weight' ? undefined : value,
  );
}

/** GetRoutes: the weights of the rule with two backendRefs (A/B's default rule has one). */
export function readHTTPRouteWeights(
  cd: Canary,
  route: KubeObject | undefined,
): { primary: number; canary: number } {
  const names = serviceNames(cd);
  let primary = 0;
  let canary = 0;
  for (const r of (route?.spec as HTTPRouteSpec | undefined)?.rules ?? []) {
    if (r.backendRefs?.length !== 2) continue;
    for (const ref of r.backendRefs) {
      if (ref.name === names.primary) primary = ref.weight ?? 0;
      if (ref.name === names.canary) canary = ref.weight ?? 0;
    }
  }
  return { primary, canary };
}
