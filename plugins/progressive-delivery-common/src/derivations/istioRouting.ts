import { IstioRouting } from '../api';
import { KubeObject } from '../kubernetes';
import { asString, readPath } from './read';
import {
  httpRouteRouter,
  readHttpRouteRules,
  unacceptedParents,
} from './routing/httpRoute';
import {
  applyDestinationRules,
  applyPeerAuthentications,
} from './routing/mtls';
import { canaryServiceNames, ServiceNames } from './routing/names';
import { accessPolicies, WorkloadPlacement } from './routing/policies';
import { applyRoutes } from './routing/split';
import {
  readVirtualServiceRoutes,
  virtualServiceRouter,
} from './routing/virtualService';

export { canaryServiceNames } from './routing/names';

/**
 * Inputs of {@link deriveIstioRouting}: the canary, the router objects Flagger manages for it
 * (a VirtualService for provider istio, HTTPRoutes for gatewayapi), and the Istio policies of
 * its namespace and of the mesh root namespace.
 *
 * @public
 */
export interface IstioRoutingInput {
  canary: KubeObject;
  virtualService?: KubeObject;
  /** HTTPRoutes of the canary's namespace; the one named after the apex service is read. */
  httpRoutes?: KubeObject[];
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
 * The router object to read, by the canary's provider: gatewayapi reads the HTTPRoute named
 * after the apex service; istio (or the mesh default) the VirtualService, else that HTTPRoute;
 * any other provider (nginx, kubernetes, linkerd's SMI, ...) has no router read here.
 */
function pickRouter(
  input: IstioRoutingInput,
  names: ServiceNames,
  namespace: string,
): { kind: 'VirtualService' | 'HTTPRoute'; object: KubeObject } | undefined {
  const provider = asString(readPath(input.canary.spec, 'provider'));
  const httpRoute = (input.httpRoutes ?? []).find(
    route =>
      route.metadata?.name === names.apex &&
      (route.metadata?.namespace ?? namespace) === namespace,
  );
  const gatewayApi = provider?.startsWith('gatewayapi') ?? false;
  if (!gatewayApi && provider !== undefined && provider !== 'istio') {
    return undefined;
  }
  if (!gatewayApi && input.virtualService) {
    return { kind: 'VirtualService', object: input.virtualService };
  }
  return httpRoute ? { kind: 'HTTPRoute', object: httpRoute } : undefined;
}

function applyRouter(
  routing: IstioRouting,
  input: IstioRoutingInput,
  names: ServiceNames,
  namespace: string,
): void {
  const router = pickRouter(input, names, namespace);
  if (router?.kind === 'VirtualService') {
    routing.router = virtualServiceRouter(router.object, names, namespace);
    const read = readVirtualServiceRoutes(
      router.object,
      names,
      routing.problems,
    );
    const tcp = read.length > 0 && read.every(r => r.route.protocol === 'tcp');
    applyRoutes(
      routing,
      read,
      names,
      input.canary,
      tcp ? 'spec.tcp' : 'spec.http',
    );
  } else if (router?.kind === 'HTTPRoute') {
    routing.router = httpRouteRouter(router.object, names, namespace);
    const read = readHttpRouteRules(router.object, names, routing.problems);
    applyRoutes(routing, read, names, input.canary, 'spec.rules');
    routing.problems.push(...unacceptedParents(router.object));
  }
}

/**
 * Derives a canary's traffic routing from its router object (VirtualService HTTP or TCP routes,
 * or HTTPRoute rules): the weights of the weighted default route, A/B conditions, session
 * affinity, mirroring; then the mTLS mode in force after Istio's precedence (workload,
 * namespace, mesh; UNSET inherits) with port-level modes, DestinationRules whose TLS conflicts
 * with STRICT mTLS, and the PeerAuthentication, AuthorizationPolicy and Sidecar objects that
 * select the workload. Never throws: unreadable fields become `problems`.
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
  applyRouter(routing, input, names, namespace);
  applyPeerAuthentications(routing, input.peerAuthentications ?? [], placement);
  applyDestinationRules(routing, input.destinationRules ?? [], names);
  routing.policies.push(
    ...accessPolicies(
      input.authorizationPolicies ?? [],
      input.sidecars ?? [],
      placement,
    ),
  );
  return routing;
}
