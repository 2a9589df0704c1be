// Reads a Gateway API HTTPRoute Flagger manages with its gatewayapi provider
// (pkg/router/gateway_api.go, gateway_api_v1beta1.go): rules, weighted backendRefs, the
// Set-Cookie filters of session affinity, request mirroring, and whether the parents accepted it.
import { IstioRoute, IstioRouting, ObjectProblem } from '../../api';
import { KubeObject } from '../../kubernetes';
import { readConditions } from '../conditions';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  readPath,
  UnknownRecord,
} from '../read';
import { describeGatewayMatches } from './matchWords';
import { roleOf, ServiceNames } from './names';
import { hasSetCookie, ReadRoute } from './routeModel';

/** Gateway API: a backendRef without weight has weight 1. */
const DEFAULT_BACKEND_WEIGHT = 1;

function filtersSetCookie(filters: unknown): boolean {
  return (asArray(filters) ?? []).some(filter => {
    const modifier = readPath(filter, 'responseHeaderModifier');
    return (
      hasSetCookie(readPath(modifier, 'add')) ||
      hasSetCookie(readPath(modifier, 'set'))
    );
  });
}

/** The RequestMirror filter of a rule: its backend and share (percent or fraction). */
function readMirror(filters: unknown): IstioRoute['mirror'] {
  for (const filter of asArray(filters) ?? []) {
    const mirror = asRecord(readPath(filter, 'requestMirror'));
    const host = asString(readPath(mirror, 'backendRef', 'name'));
    if (!mirror || !host) {
      continue;
    }
    const numerator = asNumber(readPath(mirror, 'fraction', 'numerator'));
    const denominator =
      asNumber(readPath(mirror, 'fraction', 'denominator')) ?? 100;
    const percentage =
      asNumber(mirror.percent) ??
      (numerator !== undefined && denominator > 0
        ? (numerator * 100) / denominator
        : undefined);
    return { host, percentage };
  }
  return undefined;
}

function readRule(rule: UnknownRecord, names: ServiceNames): ReadRoute {
  const matches = describeGatewayMatches(rule.matches);
  const destinations: IstioRoute['destinations'] = [];
  let setsCookie = false;
  for (const ref of (asArray(rule.backendRefs) ?? []).map(asRecord)) {
    const host = asString(ref?.name);
    if (!ref || !host) {
      continue;
    }
    destinations.push({
      host,
      weight: asNumber(ref.weight) ?? DEFAULT_BACKEND_WEIGHT,
      role: roleOf(host, names),
    });
    setsCookie ||= filtersSetCookie(ref.filters);
  }
  const route: IstioRoute = {
    name: asString(rule.name),
    protocol: 'http',
    match: matches.words.length > 0,
    matches: matches.words,
    destinations,
  };
  if (matches.cookie) {
    route.sticky = true;
  }
  const mirror = readMirror(rule.filters);
  if (mirror) {
    route.mirror = mirror;
  }
  return { route, selective: matches.selective, setsCookie };
}

/** The HTTPRoute's rules as routes. */
export function readHttpRouteRules(
  httpRoute: KubeObject,
  names: ServiceNames,
  problems: ObjectProblem[],
): ReadRoute[] {
  const rules = readPath(httpRoute.spec, 'rules');
  if (rules !== undefined && !Array.isArray(rules)) {
    problems.push({ field: 'spec.rules', message: 'rules is not a list' });
  }
  return (asArray(rules) ?? [])
    .map(asRecord)
    .filter((rule): rule is UnknownRecord => rule !== undefined)
    .map(rule => readRule(rule, names));
}

/**
 * Parents that have not accepted the current generation: Flagger's GetRoutes refuses to read
 * the weights then, and the gateway may still route by an older version of the rules.
 */
export function unacceptedParents(httpRoute: KubeObject): ObjectProblem[] {
  const generation = httpRoute.metadata?.generation;
  const problems: ObjectProblem[] = [];
  for (const parent of asArray(readPath(httpRoute.status, 'parents')) ?? []) {
    const accepted = readConditions(parent).find(c => c.type === 'Accepted');
    if (!accepted) {
      continue;
    }
    const name = asString(readPath(parent, 'parentRef', 'name')) ?? '?';
    const stale =
      generation !== undefined &&
      accepted.observedGeneration !== undefined &&
      accepted.observedGeneration < generation;
    if (accepted.status !== 'True') {
      problems.push({
        field: 'status.parents',
        message: `parent ${name} has not accepted the route (${
          accepted.reason ?? accepted.status
        }${accepted.message ? `: ${accepted.message}` : ''})`,
      });
    } else if (stale) {
      problems.push({
        field: 'status.parents',
        message: `parent ${name} has not accepted generation ${generation} yet (observed ${accepted.observedGeneration})`,
      });
    }
  }
  return problems;
}

/** The HTTPRoute as the router of the canary: hostnames and parents (`namespace/name`). */
export function httpRouteRouter(
  httpRoute: KubeObject,
  names: ServiceNames,
  namespace: string,
): NonNullable<IstioRouting['router']> {
  const routeNamespace = httpRoute.metadata?.namespace ?? namespace;
  const parents = (asArray(readPath(httpRoute.spec, 'parentRefs')) ?? [])
    .map(asRecord)
    .flatMap(ref => {
      const name = asString(ref?.name);
      return name
        ? [`${asString(ref?.namespace) ?? routeNamespace}/${name}`]
        : [];
    });
  return {
    kind: 'HTTPRoute',
    apiVersion: httpRoute.apiVersion ?? 'gateway.networking.k8s.io/v1',
    namespace: routeNamespace,
    name: httpRoute.metadata?.name ?? names.apex,
    hosts: (asArray(readPath(httpRoute.spec, 'hostnames')) ?? []).filter(
      (value): value is string => typeof value === 'string',
    ),
    gateways: parents,
  };
}
