// Routing types of the HTTP API responses (split from api.ts, which re-exports them): the
// router object Flagger manages for a canary and the Istio policies around the workload.
import type { ObjectProblem } from './api';

/**
 * One route of a VirtualService (HTTP or TCP) or an HTTPRoute rule, with its destinations.
 *
 * @public
 */
export interface IstioRoute {
  name?: string;
  protocol: 'http' | 'tcp';
  /** True when the route only takes requests that meet `matches`. */
  match: boolean;
  /** The conditions in words, e.g. `header x-canary = insider`, `cookie ~ canary`. */
  matches: string[];
  /** Session affinity: the route that keeps requests carrying the sticky cookie on the canary. */
  sticky?: boolean;
  destinations: Array<{
    host: string;
    subset?: string;
    weight: number;
    role: 'primary' | 'canary' | 'other';
  }>;
  mirror?: { host: string; percentage?: number };
}

/**
 * An Istio policy that applies to a workload.
 *
 * @public
 */
export interface IstioPolicy {
  kind: 'PeerAuthentication' | 'AuthorizationPolicy' | 'Sidecar';
  namespace: string;
  name: string;
  /** `workload` (selector matches), `namespace` (no selector) or `mesh` (root namespace). */
  scope: 'workload' | 'namespace' | 'mesh';
  /** PeerAuthentication mTLS mode, AuthorizationPolicy action, Sidecar outbound policy. */
  summary: string;
}

/**
 * Traffic routing for one canary, from the router object Flagger manages for it: an Istio
 * VirtualService (provider istio) or a Gateway API HTTPRoute (provider gatewayapi:v1), plus the
 * Istio policies that apply to the workload.
 *
 * @public
 */
export interface IstioRouting {
  router?: {
    kind: 'VirtualService' | 'HTTPRoute';
    apiVersion: string;
    namespace: string;
    name: string;
    /** VirtualService `hosts`, HTTPRoute `hostnames`. */
    hosts: string[];
    /** VirtualService `gateways`, HTTPRoute `parentRefs` as `namespace/name`. */
    gateways: string[];
  };
  routes: IstioRoute[];
  /** The weights of the weighted default route (not an A/B match or a sticky-cookie route). */
  primaryWeight?: number;
  canaryWeight?: number;
  mirrored: boolean;
  /** Share of live requests copied to the canary while mirroring (percent). */
  mirrorPercentage?: number;
  /** A/B testing: requests meeting these conditions go to the canary, all others stay on the primary. */
  canaryMatches?: string[];
  /** Session affinity: requests with this cookie stay on the canary once they reached it. */
  sessionAffinity?: { cookieName?: string };
  destinationRules: Array<{ name: string; host: string; tlsMode?: string }>;
  /** The mTLS mode in force for the workload after Istio's precedence rules. */
  mtlsMode: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
  /** Where the mode comes from. */
  mtlsSource: 'workload' | 'namespace' | 'mesh' | 'default';
  /** Port-level modes (PeerAuthentication `portLevelMtls`) that differ from `mtlsMode`. */
  mtlsPortOverrides?: Array<{
    port: number;
    mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
  }>;
  policies: IstioPolicy[];
  problems: ObjectProblem[];
}
