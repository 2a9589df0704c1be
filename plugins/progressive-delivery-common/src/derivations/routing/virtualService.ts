// Reads a VirtualService Flagger manages (pkg/router/istio.go): HTTP or TCP routes, their
// destinations, mirroring and the session-affinity cookie headers.
import { IstioRoute, IstioRouting, ObjectProblem } from '../../api';
import { KubeObject } from '../../kubernetes';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  readPath,
  UnknownRecord,
} from '../read';
import { describeIstioMatches } from './matchWords';
import { roleOf, ServiceNames } from './names';
import { hasSetCookie, ReadRoute } from './routeModel';

function readDestinations(
  route: UnknownRecord,
  names: ServiceNames,
): { destinations: IstioRoute['destinations']; setsCookie: boolean } {
  const destinations: IstioRoute['destinations'] = [];
  let setsCookie = false;
  const entries = (asArray(route.route) ?? []).map(asRecord);
  for (const entry of entries) {
    const host = asString(readPath(entry, 'destination', 'host'));
    if (!entry || !host) {
      continue;
    }
    destinations.push({
      host,
      subset: asString(readPath(entry, 'destination', 'subset')),
      // Istio: a single destination takes all traffic whatever its weight says.
      weight: entries.length === 1 ? 100 : asNumber(entry.weight) ?? 0,
      role: roleOf(host, names),
    });
    setsCookie ||=
      hasSetCookie(readPath(entry, 'headers', 'response', 'add')) ||
      hasSetCookie(readPath(entry, 'headers', 'response', 'set'));
  }
  return { destinations, setsCookie };
}

function readRoute(
  route: UnknownRecord,
  protocol: IstioRoute['protocol'],
  names: ServiceNames,
): ReadRoute {
  const matches = describeIstioMatches(route.match);
  const { destinations, setsCookie } = readDestinations(route, names);
  const mirrorHost = asString(readPath(route, 'mirror', 'host'));
  const read: IstioRoute = {
    name: asString(route.name),
    protocol,
    match: matches.words.length > 0,
    matches: matches.words,
    destinations,
  };
  if (matches.cookie) {
    read.sticky = true;
  }
  if (mirrorHost) {
    read.mirror = {
      host: mirrorHost,
      percentage: asNumber(readPath(route, 'mirrorPercentage', 'value')),
    };
  }
  return { route: read, selective: matches.selective, setsCookie };
}

function readList(
  virtualService: KubeObject,
  protocol: IstioRoute['protocol'],
  names: ServiceNames,
  problems: ObjectProblem[],
): ReadRoute[] {
  const list = readPath(virtualService.spec, protocol);
  if (list !== undefined && !Array.isArray(list)) {
    problems.push({
      field: `spec.${protocol}`,
      message: `${protocol} is not a list`,
    });
  }
  return (asArray(list) ?? [])
    .map(asRecord)
    .filter((route): route is UnknownRecord => route !== undefined)
    .map(route => readRoute(route, protocol, names));
}

/** The VirtualService's HTTP routes, then its TCP routes (a TCP canary has only those). */
export function readVirtualServiceRoutes(
  virtualService: KubeObject,
  names: ServiceNames,
  problems: ObjectProblem[],
): ReadRoute[] {
  return [
    ...readList(virtualService, 'http', names, problems),
    ...readList(virtualService, 'tcp', names, problems),
  ];
}

/** The VirtualService as the router of the canary. */
export function virtualServiceRouter(
  virtualService: KubeObject,
  names: ServiceNames,
  namespace: string,
): NonNullable<IstioRouting['router']> {
  const strings = (field: string) =>
    (asArray(readPath(virtualService.spec, field)) ?? []).filter(
      (value): value is string => typeof value === 'string',
    );
  return {
    kind: 'VirtualService',
    apiVersion: virtualService.apiVersion ?? 'networking.istio.io/v1',
    namespace: virtualService.metadata?.namespace ?? namespace,
    name: virtualService.metadata?.name ?? names.apex,
    hosts: strings('hosts'),
    gateways: strings('gateways'),
  };
}
