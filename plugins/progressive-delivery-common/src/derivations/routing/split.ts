// Where traffic goes, read from the routes of the router object. Flagger writes several routes
// per canary: A/B match routes and sticky-cookie routes send everything they match to one side,
// so the split is the one of the weighted default route, not of the first route naming the canary.
import { IstioRoute, IstioRouting } from '../../api';
import { KubeObject } from '../../kubernetes';
import { asRecord, asString, readPath } from '../read';
import { hostIs, ServiceNames } from './names';
import { ReadRoute } from './routeModel';

const namesCanary = (route: IstioRoute) =>
  route.destinations.some(d => d.role === 'canary');
const namesPrimaryOrCanary = (route: IstioRoute) =>
  route.destinations.some(d => d.role !== 'other');

/**
 * The weighted default route: with session affinity the route whose destinations set the
 * cookie (Flagger's GetRoutes reads that one); else the last route without client-selecting
 * conditions (the catch-all after any A/B route); else, like Flagger, the last naming the canary.
 */
function weightedRoute(routes: ReadRoute[]): ReadRoute | undefined {
  const last = (found: ReadRoute[]) => found[found.length - 1];
  return (
    routes.find(r => r.setsCookie) ??
    last(
      routes.filter(
        r => !r.selective && !r.route.sticky && namesPrimaryOrCanary(r.route),
      ),
    ) ??
    last(routes.filter(r => namesCanary(r.route)))
  );
}

/** Shares in percent: VirtualService weights sum to 100, HTTPRoute weights are relative. */
function shareOf(route: IstioRoute, role: 'primary' | 'canary'): number {
  const total = route.destinations.reduce((sum, d) => sum + d.weight, 0);
  const weight = route.destinations
    .filter(d => d.role === role)
    .reduce((sum, d) => sum + d.weight, 0);
  return total > 0 ? Math.round((weight * 100) / total) : 0;
}

/**
 * A/B testing: the conditions of the selective routes, other than the weighted one (when
 * `spec.service.match` makes every route selective), that send requests to the canary.
 */
function canaryMatchesOf(
  routes: ReadRoute[],
  weighted: ReadRoute | undefined,
): string[] {
  return routes
    .filter(
      r =>
        r !== weighted &&
        r.selective &&
        !r.route.sticky &&
        r.route.destinations.some(d => d.role === 'canary' && d.weight > 0),
    )
    .flatMap(r => r.route.matches);
}

function applyMirror(routing: IstioRouting, names: ServiceNames): void {
  const mirroring = routing.routes.find(
    r => r.mirror !== undefined && hostIs(r.mirror.host, names.canary),
  );
  routing.mirrored = mirroring !== undefined;
  if (mirroring) {
    // Istio and Gateway API both mirror every request when no share is given.
    routing.mirrorPercentage = mirroring.mirror?.percentage ?? 100;
  }
}

function applySessionAffinity(routing: IstioRouting, canary: KubeObject) {
  const spec = asRecord(readPath(canary.spec, 'analysis', 'sessionAffinity'));
  if (spec || routing.routes.some(r => r.sticky)) {
    routing.sessionAffinity = { cookieName: asString(spec?.cookieName) };
  }
}

/**
 * Sets the routes, the weights of the weighted default route, A/B conditions, mirroring and
 * session affinity; `field` names the routes in problems (`spec.http`, `spec.rules`).
 */
export function applyRoutes(
  routing: IstioRouting,
  read: ReadRoute[],
  names: ServiceNames,
  canary: KubeObject,
  field: string,
): void {
  routing.routes = read.map(r => r.route);
  const weighted = routing.routes.some(namesCanary)
    ? weightedRoute(read)
    : undefined;
  if (!weighted) {
    routing.problems.push({
      field,
      message: `no route sends traffic to ${names.canary}`,
    });
  } else {
    routing.primaryWeight = shareOf(weighted.route, 'primary');
    routing.canaryWeight = shareOf(weighted.route, 'canary');
  }
  const canaryMatches = canaryMatchesOf(read, weighted);
  if (canaryMatches.length > 0) {
    routing.canaryMatches = canaryMatches;
  }
  applyMirror(routing, names);
  applySessionAffinity(routing, canary);
}
