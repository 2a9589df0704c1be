import { IstioPolicy, IstioRoute, IstioRouting, ObjectProblem } from '../api';
import { readCanaryTargetRef } from '../flagger/targetRef';
import { KubeObject } from '../kubernetes';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  asStringMap,
  readPath,
} from './read';

/**
 * Inputs of {@link deriveIstioRouting}: the canary, the Istio objects Flagger generated for it,
 * and the policies of its namespace and of the mesh root namespace.
 *
 * @public
 */
export interface IstioRoutingInput {
  canary: KubeObject;
  virtualService?: KubeObject;
  destinationRules?: KubeObject[];
  /** Pod labels of the workload (the primary's pod template labels). */
  workloadLabels?: Record<string, string>;
  peerAuthentications?: KubeObject[];
  authorizationPolicies?: KubeObject[];
  sidecars?: KubeObject[];
  /** Istio's root namespace, where mesh-wide policies live (default `istio-system`). */
  rootNamespace?: string;
}

/**
 * Flagger's apex, primary and canary service names (canary.go GetServiceNames).
 *
 * @public
 */
export function canaryServiceNames(canary: KubeObject): {
  apex: string;
  primary: string;
  canary: string;
} {
  const apex =
    asString(readPath(canary.spec, 'service', 'name')) ??
    readCanaryTargetRef(canary)?.name ??
    canary.metadata?.name ??
    '';
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}

type ServiceNames = ReturnType<typeof canaryServiceNames>;

/** A destination host names a service by short name or by FQDN. */
function hostIs(host: string, service: string): boolean {
  return host === service || host.startsWith(`${service}.`);
}

function roleOf(
  host: string,
  names: ServiceNames,
): IstioRoute['destinations'][number]['role'] {
  if (hostIs(host, names.primary)) {
    return 'primary';
  }
  return hostIs(host, names.canary) ? 'canary' : 'other';
}

function readRoutes(
  virtualService: KubeObject,
  problems: ObjectProblem[],
  names: ServiceNames,
): IstioRoute[] {
  const http = readPath(virtualService.spec, 'http');
  if (http !== undefined && !Array.isArray(http)) {
    problems.push({ field: 'spec.http', message: 'http is not a list' });
  }
  const routes: IstioRoute[] = [];
  for (const raw of asArray(http) ?? []) {
    const route = asRecord(raw);
    if (!route) {
      continue;
    }
    const destinations: IstioRoute['destinations'] = [];
    const entries = asArray(route.route) ?? [];
    for (const entryRaw of entries) {
      const entry = asRecord(entryRaw);
      const host = asString(readPath(entry, 'destination', 'host'));
      if (!entry || !host) {
        continue;
      }
      destinations.push({
        host,
        subset: asString(readPath(entry, 'destination', 'subset')),
        // Istio: a single destination without weight takes all traffic.
        weight: asNumber(entry.weight) ?? (entries.length === 1 ? 100 : 0),
        role: roleOf(host, names),
      });
    }
    const mirrorHost = asString(readPath(route, 'mirror', 'host'));
    routes.push({
      name: asString(route.name),
      protocol: 'http',
      match: (asArray(route.match) ?? []).length > 0,
      matches: [],
      destinations,
      mirror: mirrorHost
        ? {
            host: mirrorHost,
            percentage: asNumber(readPath(route, 'mirrorPercentage', 'value')),
          }
        : undefined,
    });
  }
  return routes;
}

function selectorMatches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Oldest first, as Istio picks among conflicting policies; malformed metadata sorts first. */
function byAge(a: KubeObject, b: KubeObject): number {
  const text = (value: unknown) => asString(value) ?? '';
  return (
    text(a.metadata?.creationTimestamp).localeCompare(
      text(b.metadata?.creationTimestamp),
    ) || text(a.metadata?.name).localeCompare(text(b.metadata?.name))
  );
}

type Scope = IstioPolicy['scope'];

/** Where the workload runs: what decides whether a policy applies to it. */
interface WorkloadPlacement {
  namespace: string;
  rootNamespace: string;
  labels: Record<string, string>;
}

/** Where a policy applies to the workload, or undefined when it does not. */
function policyScope(
  policy: KubeObject,
  selectorPath: string[],
  { namespace, rootNamespace, labels }: WorkloadPlacement,
): Scope | undefined {
  const policyNamespace = policy.metadata?.namespace;
  const selector = asStringMap(readPath(policy.spec, ...selectorPath));
  const hasSelector =
    selector !== undefined && Object.keys(selector).length > 0;
  if (policyNamespace === namespace) {
    if (!hasSelector) {
      return 'namespace';
    }
    return selectorMatches(selector, labels) ? 'workload' : undefined;
  }
  if (policyNamespace === rootNamespace && !hasSelector) {
    return 'mesh';
  }
  return undefined;
}

const SCOPE_ORDER: Scope[] = ['workload', 'namespace', 'mesh'];

function describePolicy(
  kind: IstioPolicy['kind'],
  policy: KubeObject,
  scope: Scope,
  summary: string,
): IstioPolicy {
  return {
    kind,
    namespace: policy.metadata?.namespace ?? '',
    name: policy.metadata?.name ?? '',
    scope,
    summary,
  };
}

/** The VirtualService's routes, the weights Flagger set on them, and mirroring. */
function applyVirtualService(
  routing: IstioRouting,
  vs: KubeObject,
  names: ServiceNames,
  namespace: string,
): void {
  const strings = (path: string) =>
    (asArray(readPath(vs.spec, path)) ?? []).filter(
      (value): value is string => typeof value === 'string',
    );
  routing.router = {
    kind: 'VirtualService',
    apiVersion: vs.apiVersion ?? 'networking.istio.io/v1',
    namespace: vs.metadata?.namespace ?? namespace,
    name: vs.metadata?.name ?? names.apex,
    hosts: strings('hosts'),
    gateways: strings('gateways'),
  };
  routing.routes = readRoutes(vs, routing.problems, names);
  const canaryRoute = routing.routes.find(r =>
    r.destinations.some(d => hostIs(d.host, names.canary)),
  );
  if (canaryRoute) {
    const weightOf = (service: string) =>
      canaryRoute.destinations.find(d => hostIs(d.host, service))?.weight ?? 0;
    routing.canaryWeight = weightOf(names.canary);
    routing.primaryWeight = weightOf(names.primary);
  } else {
    routing.problems.push({
      field: 'spec.http',
      message: `no route sends traffic to ${names.canary}`,
    });
  }
  routing.mirrored = routing.routes.some(
    r => r.mirror !== undefined && hostIs(r.mirror.host, names.canary),
  );
}

/** PeerAuthentication: the most specific scope wins; UNSET defers to the next one. */
function applyPeerAuthentications(
  routing: IstioRouting,
  peerAuthentications: KubeObject[],
  placement: WorkloadPlacement,
): void {
  const applying = peerAuthentications
    .map(pa => ({
      pa,
      scope: policyScope(pa, ['selector', 'matchLabels'], placement),
    }))
    .filter((x): x is { pa: KubeObject; scope: Scope } => x.scope !== undefined)
    .sort(
      (a, b) =>
        SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope) ||
        byAge(a.pa, b.pa),
    );
  for (const { pa, scope } of applying) {
    const mode = asString(readPath(pa.spec, 'mtls', 'mode')) ?? 'UNSET';
    routing.policies.push(
      describePolicy('PeerAuthentication', pa, scope, `mTLS ${mode}`),
    );
    if (
      routing.mtlsSource === 'default' &&
      (mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE')
    ) {
      routing.mtlsMode = mode;
      routing.mtlsSource = scope;
    }
  }
}

/** The policies of one kind that select the workload, oldest first, each summarised. */
function selectingPolicies(
  kind: IstioPolicy['kind'],
  policies: KubeObject[],
  selectorPath: string[],
  placement: WorkloadPlacement,
  summarise: (spec: unknown) => string,
): IstioPolicy[] {
  const result: IstioPolicy[] = [];
  for (const policy of [...policies].sort(byAge)) {
    const scope = policyScope(policy, selectorPath, placement);
    if (scope) {
      result.push(describePolicy(kind, policy, scope, summarise(policy.spec)));
    }
  }
  return result;
}

function summariseAuthorizationPolicy(spec: unknown): string {
  const action = asString(readPath(spec, 'action')) ?? 'ALLOW';
  const rules = (asArray(readPath(spec, 'rules')) ?? []).length;
  return `${action}, ${rules} rule${rules === 1 ? '' : 's'}`;
}

function summariseSidecar(spec: unknown): string {
  const outbound =
    asString(readPath(spec, 'outboundTrafficPolicy', 'mode')) ?? 'ALLOW_ANY';
  const hosts = (asArray(readPath(spec, 'egress')) ?? []).flatMap(
    egress => asArray(readPath(egress, 'hosts')) ?? [],
  );
  return `outbound ${outbound}${
    hosts.length ? `, egress ${hosts.join(' ')}` : ''
  }`;
}

/**
 * Derives a canary's traffic routing: the VirtualService routes with primary and canary weights
 * (Flagger reads them from the first route naming the canary host), mirroring, the mTLS mode in
 * force after Istio's precedence (workload, namespace, mesh; UNSET inherits), and the
 * PeerAuthentication, AuthorizationPolicy and Sidecar objects that select the workload.
 *
 * @public
 */
export function deriveIstioRouting(input: IstioRoutingInput): IstioRouting {
  const names = canaryServiceNames(input.canary);
  const namespace = input.canary.metadata?.namespace ?? '';
  const placement: WorkloadPlacement = {
    namespace,
    rootNamespace: input.rootNamespace ?? 'istio-system',
    labels: input.workloadLabels ?? {},
  };
  const routing: IstioRouting = {
    routes: [],
    mirrored: false,
    destinationRules: [],
    mtlsMode: 'PERMISSIVE',
    mtlsSource: 'default',
    policies: [],
    problems: [],
  };
  if (input.virtualService) {
    applyVirtualService(routing, input.virtualService, names, namespace);
  }
  for (const rule of input.destinationRules ?? []) {
    routing.destinationRules.push({
      name: rule.metadata?.name ?? '',
      host: asString(readPath(rule.spec, 'host')) ?? '',
    });
  }
  applyPeerAuthentications(routing, input.peerAuthentications ?? [], placement);
  routing.policies.push(
    ...selectingPolicies(
      'AuthorizationPolicy',
      input.authorizationPolicies ?? [],
      ['selector', 'matchLabels'],
      placement,
      summariseAuthorizationPolicy,
    ),
    ...selectingPolicies(
      'Sidecar',
      input.sidecars ?? [],
      ['workloadSelector', 'labels'],
      placement,
      summariseSidecar,
    ),
  );
  return routing;
}
