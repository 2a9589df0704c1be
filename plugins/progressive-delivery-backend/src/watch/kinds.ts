/**
 * A kind the plugin lists and watches in every cluster.
 */
export interface WatchedKind {
  kind: string;
  group: string;
  version: string;
  plural: string;
  /** Restricts the list and watch, e.g. Flagger's events only. */
  fieldSelector?: string;
}

// Versions every supported release serves: Flux v2.x GA APIs, Flagger v1beta1, and Istio's
// v1beta1 (still served next to v1 by Istio 1.30, and the version Flagger writes).
export const WATCHED_KINDS: readonly WatchedKind[] = [
  {
    kind: 'Canary',
    group: 'flagger.app',
    version: 'v1beta1',
    plural: 'canaries',
  },
  { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments' },
  {
    kind: 'Event',
    group: '',
    version: 'v1',
    plural: 'events',
    fieldSelector: 'involvedObject.kind=Canary',
  },
  {
    kind: 'Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'kustomizations',
  },
  {
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    plural: 'helmreleases',
  },
  {
    kind: 'GitRepository',
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'gitrepositories',
  },
  {
    kind: 'OCIRepository',
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'ocirepositories',
  },
  {
    kind: 'HelmRepository',
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'helmrepositories',
  },
  {
    kind: 'VirtualService',
    group: 'networking.istio.io',
    version: 'v1beta1',
    plural: 'virtualservices',
  },
  {
    kind: 'DestinationRule',
    group: 'networking.istio.io',
    version: 'v1beta1',
    plural: 'destinationrules',
  },
  {
    kind: 'Sidecar',
    group: 'networking.istio.io',
    version: 'v1beta1',
    plural: 'sidecars',
  },
  {
    kind: 'PeerAuthentication',
    group: 'security.istio.io',
    version: 'v1beta1',
    plural: 'peerauthentications',
  },
  {
    kind: 'AuthorizationPolicy',
    group: 'security.istio.io',
    version: 'v1beta1',
    plural: 'authorizationpolicies',
  },
];

/** The API path listing a kind across all namespaces. */
export function collectionPath(kind: WatchedKind): string {
  return kind.group
    ? `/apis/${kind.group}/${kind.version}/${kind.plural}`
    : `/api/${kind.version}/${kind.plural}`;
}
