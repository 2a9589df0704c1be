import {
  deriveIstioRouting,
  IstioRouting,
  IstioRoutingInput,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ResolvedCanary } from './EntityResolver';

/** What the routing derivation reads besides the router objects: the mesh policies around. */
export type RoutingPolicies = Omit<
  IstioRoutingInput,
  'canary' | 'virtualService' | 'httpRoutes' | 'destinationRules'
>;

/**
 * A canary's routing from Flagger's router object (VirtualService or HTTPRoute: the derivation
 * reads the one the canary's provider uses) or its DestinationRules; undefined when none of
 * them exists, so nothing routes the canary. The delivery state, the analysis evaluator and the
 * history all read the split through here, so they agree on it.
 */
export function canaryRouting(
  resolved: Pick<
    ResolvedCanary,
    'canary' | 'virtualService' | 'httpRoutes' | 'destinationRules'
  >,
  policies: RoutingPolicies = {},
): IstioRouting | undefined {
  if (
    !resolved.virtualService &&
    resolved.httpRoutes.length === 0 &&
    resolved.destinationRules.length === 0
  ) {
    return undefined;
  }
  return deriveIstioRouting({
    canary: resolved.canary,
    virtualService: resolved.virtualService,
    httpRoutes: resolved.httpRoutes,
    destinationRules: resolved.destinationRules,
    ...policies,
  });
}
