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

// Versions every supported release serves: Flux v2.x GA APIs, Flagger v1beta1, Istio's v1beta1
// (still served next to v1 by Istio 1.30, and the version Flagger writes) and Gateway API v1.
// Gateway API v1.x serves v1 and v1beta1 of the same stored objects, so listing v1 also returns
// the HTTPRoutes Flagger's `gatewayapi:v1beta1` provider writes through v1beta1: one watch, no
// duplicates. The order is also the order a cluster lists them in (see ListGate): Canaries first.
export const WATCHED_KINDS: readonly WatchedKind[] = [
  {
    kind: 'Canary',
    group: 'flagger.app',
    version: 'v1beta1',
    plural: 'canaries',
  },
  { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments' },
  // Flagger's other target kind (its daemonset controller).
  { kind: 'DaemonSet', group: 'apps', version: 'v1', plural: 'daemonsets' },
  // The checks and alerts a canary's analysis references by name.
  {
    kind: 'MetricTemplate',
    group: 'flagger.app',
    version: 'v1beta1',
    plural: 'metrictemplates',
  },
  {
    kind: 'AlertProvider',
    group: 'flagger.app',
    version: 'v1beta1',
    plural: 'alertproviders',
  },
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
  // HelmRelease -> HelmChart; Kustomization -> Bucket / ExternalArtifact.
  {
    kind: 'HelmChart',
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'helmcharts',
  },
  {
    kind: 'Bucket',
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'buckets',
  },
  {
    kind: 'ExternalArtifact',
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'externalartifacts',
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
  // Flagger's Gateway API router (provider gatewayapi:v1) and the Gateways its routes attach to.
  {
    kind: 'HTTPRoute',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'httproutes',
  },
  {
    kind: 'Gateway',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gateways',
  },
];

/** The API path listing a kind across all namespaces. */
export function collectionPath(kind: WatchedKind): string {
  return kind.group
    ? `/apis/${kind.group}/${kind.version}/${kind.plural}`
    : `/api/${kind.version}/${kind.plural}`;
}
