import {
  asString,
  KubeObject,
  readCanaryTargetRef,
  readPath,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ResolvedCanary } from '../resolve/EntityResolver';
import { canaryRouting } from '../resolve/canaryRouting';

/** The kinds whose objects route a canary's traffic (Flagger's router objects read here). */
export const ROUTER_KINDS = ['VirtualService', 'HTTPRoute'];

/**
 * The canary's share (percent) of the weighted route of its router object, read as the delivery
 * state reads it (`deriveIstioRouting`: the VirtualService for provider istio, the HTTPRoute for
 * gatewayapi); undefined when no router object is read for the canary's provider. A/B routes
 * send matching requests to the canary and leave the weighted default route on the primary, so
 * an A/B test routes 0 here, as the live view shows it.
 */
export function routedCanaryWeight(
  resolved: Pick<
    ResolvedCanary,
    'canary' | 'virtualService' | 'httpRoutes' | 'destinationRules'
  >,
): number | undefined {
  if (!resolved.virtualService && resolved.httpRoutes.length === 0) {
    return undefined;
  }
  return canaryRouting(resolved)?.canaryWeight;
}

/**
 * The names of the canaries a router object routes: its owner references to a Canary, else the
 * canaries of its namespace whose apex service (`spec.service.name`, else the target's name) it
 * is named after, as Flagger names it.
 */
export function canariesRoutedBy(
  router: KubeObject,
  canariesOfNamespace: () => KubeObject[],
): string[] {
  const owners = (router.metadata?.ownerReferences ?? [])
    .filter(o => o.kind === 'Canary' && o.name)
    .map(o => o.name as string);
  if (owners.length > 0) {
    return owners;
  }
  return canariesOfNamespace()
    .filter(
      canary =>
        (asString(readPath(canary.spec, 'service', 'name')) ??
          readCanaryTargetRef(canary)?.name ??
          canary.metadata?.name) === router.metadata?.name,
    )
    .map(canary => canary.metadata?.name ?? '');
}
