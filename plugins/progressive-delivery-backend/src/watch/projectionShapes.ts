import {
  each,
  KEEP,
  LENGTH,
  Shape,
  shared,
  STRING_MAP,
  TEXT,
} from './projectionShape';

/*
 * What the plugin keeps of each watched kind (projectObject applies these shapes).
 *
 * IF YOU READ A NEW FIELD of a cached object (in a derivation of the common package, the
 * assembler, the resolver, the history recorder or an action), ADD IT TO ITS KIND'S SHAPE BELOW,
 * naming the reader, or it will always read as undefined. `projectObject.fidelity.test.ts` runs
 * the derivations, resolver and assembler on full and on projected objects and must keep
 * getting identical answers; give it an object that has the new field if none does.
 *
 * `shared(...)` marks parts that many objects have alike (an analysis made from one template,
 * the mesh's TLS settings, a container size): identical projections of such a part are one
 * frozen object. Nothing may change a cached object in place.
 */

// ---------------------------------------------------------------------------------------------
// Shapes. Every kind in the object store keeps `kind` and `metadata.name`, `metadata.namespace`
// (the store's key and indexes, every ref) and `metadata.resourceVersion` (ObjectStore.upsert
// skips an unchanged version).

const BASE_METADATA: Shape = {
  name: KEEP,
  namespace: KEEP,
  resourceVersion: KEEP,
};

/** Istio policies: `creationTimestamp` orders them (istioRouting byAge). */
const POLICY_METADATA: Shape = {
  ...BASE_METADATA,
  creationTimestamp: KEEP,
};

/** Flagger's generated VirtualService and DestinationRules. */
const GENERATED_METADATA: Shape = {
  ...BASE_METADATA,
  // ObjectStore owner index -> EntityResolver.resolveCanary finds what Flagger generated.
  ownerReferences: each({ kind: KEEP, name: KEEP }),
};

/**
 * Kinds an entity's annotations select (EntityResolver SEED_KINDS). Only these keep their
 * labels: nothing reads the labels of the other kinds, so ObjectStore.byLabel finds objects of
 * these kinds only.
 */
const SEED_METADATA: Shape = {
  ...BASE_METADATA,
  // ObjectStore label index; EntityResolver seeds (kubernetes-id label, label
  // selectors) and fluxOwnerOf (Flux owner labels of canaries and workloads).
  labels: STRING_MAP,
};

/** `status.conditions` as readConditions reads them (deriveFluxReadiness). */
const FLUX_CONDITION: Shape = {
  type: KEEP,
  status: KEEP,
  reason: KEEP,
  message: TEXT,
  lastTransitionTime: KEEP,
};

/** A Flux source reference (fluxSourceRef). */
const SOURCE_REF: Shape = { kind: KEEP, name: KEEP, namespace: KEEP };

/** Flagger's analysis (deriveCanaryProgress readAnalysis, readWebhooks, readMetrics). */
const CANARY_ANALYSIS: Shape = {
  interval: KEEP,
  threshold: KEEP,
  maxWeight: KEEP,
  stepWeight: KEEP,
  stepWeights: KEEP,
  stepWeightPromotion: KEEP,
  iterations: KEEP,
  mirror: KEEP,
  // Only whether there are match conditions (A/B testing) is read.
  match: LENGTH,
  metrics: each({
    name: KEEP,
    templateRef: { name: KEEP, namespace: KEEP },
    thresholdRange: { min: KEEP, max: KEEP },
    threshold: KEEP,
    interval: KEEP,
    // renderAnalysisQueries (the analysis evaluator): the deprecated inline query and the
    // variables of a MetricTemplate's query.
    query: KEEP,
    templateVariables: STRING_MAP,
  }),
  // Gates and hooks; CanaryActions calls a gate's url through the service proxy.
  webhooks: each({ name: KEEP, type: KEEP, url: KEEP }),
  // readAlerts; EntityResolver.resolveCanary follows providerRef to the AlertProvider.
  alerts: each({
    name: KEEP,
    severity: KEEP,
    providerRef: { name: KEEP, namespace: KEEP },
  }),
  // Session affinity: the sticky cookie's name.
  sessionAffinity: { cookieName: KEEP },
};

const CANARY: Shape = {
  kind: KEEP,
  metadata: SEED_METADATA,
  spec: {
    // ObjectStore target index, EntityResolver.resolveCanary, assembleCanary's target,
    // deriveCanaryProgress (a problem when missing), canaryServiceNames.
    // renderAnalysisQueries: apiVersion tells a Knative Service from a Kubernetes one.
    targetRef: { kind: KEEP, name: KEEP, apiVersion: KEEP },
    // canaryServiceNames and EntityResolver.resolveCanary: the apex service's name.
    service: { name: KEEP },
    // renderAnalysisQueries: {{ ingress }} and {{ route }} of a query, and the Prometheus of
    // built-in checks.
    ingressRef: { name: KEEP },
    routeRef: { name: KEEP },
    metricsServer: KEEP,
    // deriveCanaryProgress.
    provider: KEEP,
    skipAnalysis: KEEP,
    suspend: KEEP,
    analysis: shared(CANARY_ANALYSIS),
    // The v1alpha3 name Flagger still honours.
    canaryAnalysis: shared(CANARY_ANALYSIS),
  },
  // deriveCanaryProgress; deriveRollout (phase, lastAppliedSpec, lastPromotedSpec,
  // lastTransitionTime, canaryWeight, failedChecks); RolloutRecorder.noteAction (lastAppliedSpec).
  status: {
    phase: KEEP,
    canaryWeight: KEEP,
    failedChecks: KEEP,
    iterations: KEEP,
    lastAppliedSpec: KEEP,
    lastPromotedSpec: KEEP,
    lastTransitionTime: KEEP,
    // The Promoted condition's message; its status and lastTransitionTime tell the analysis
    // evaluator when a rollout began (Flagger keeps the time while the status stays Unknown).
    conditions: each({
      type: KEEP,
      message: TEXT,
      status: KEEP,
      lastTransitionTime: KEEP,
    }),
    // What changed in a rollout (readTrackedConfigs, deriveRolloutChanges; RolloutChangesService
    // records them): `configmap/<name>` | `secret/<name>` -> Flagger's checksum, never a value.
    trackedConfigs: STRING_MAP,
  },
};

/**
 * What changed in a rollout (deriveRolloutChanges over the target and its `-primary`, as
 * history/canaryChanges.ts COMPARED_WORKLOAD picks it): the name matches containers; image,
 * env (values, or the names of the ConfigMap / Secret keys they come from), envFrom and
 * resources are compared.
 */
const COMPARED_CONTAINER: Shape = {
  name: KEEP,
  image: KEEP,
  env: KEEP,
  envFrom: KEEP,
  resources: shared(KEEP),
};

const POD_TEMPLATE: Shape = {
  metadata: {
    // assembleCanary podLabels: the pod labels Istio policies select; deriveRolloutChanges.
    labels: STRING_MAP,
    // deriveRolloutChanges.
    annotations: shared(STRING_MAP),
  },
  spec: {
    // deriveWorkloadSummary: the images; deriveRolloutChanges (COMPARED_CONTAINER).
    containers: each(COMPARED_CONTAINER),
    initContainers: each(COMPARED_CONTAINER),
    // deriveRolloutChanges: volumes (and the ConfigMaps and Secrets they mount), the service
    // account.
    volumes: KEEP,
    serviceAccountName: KEEP,
  },
};

const DEPLOYMENT: Shape = {
  kind: KEEP,
  metadata: SEED_METADATA,
  // deriveWorkloadSummary.
  spec: { replicas: KEEP, template: POD_TEMPLATE },
  status: shared({ readyReplicas: KEEP, updatedReplicas: KEEP }),
};

/** A canary's target like a Deployment; deriveWorkloadSummary reads its own counters. */
const DAEMON_SET: Shape = {
  kind: KEEP,
  metadata: SEED_METADATA,
  spec: { template: POD_TEMPLATE },
  status: {
    desiredNumberScheduled: KEEP,
    numberReady: KEEP,
    updatedNumberScheduled: KEEP,
  },
};

/**
 * Referenced by a canary's metrics (templateRef): deriveCanaryProgress shows the provider and
 * the query; renderAnalysisQueries renders the query for the analysis evaluator. Of the
 * secretRef only the Secret's name (whether the provider needs credentials, which the plugin
 * never reads: they stay in the cluster).
 */
const METRIC_TEMPLATE: Shape = {
  kind: KEEP,
  metadata: BASE_METADATA,
  spec: {
    provider: {
      type: KEEP,
      address: KEEP,
      secretRef: { name: KEEP },
      insecureSkipVerify: KEEP,
    },
    query: KEEP,
  },
};

/**
 * Referenced by a canary's alerts (providerRef): where alerts go. Never `address` (a webhook
 * URL is a credential), `secretRef` or `proxy`.
 */
const ALERT_PROVIDER: Shape = {
  kind: KEEP,
  metadata: BASE_METADATA,
  spec: { type: KEEP, channel: KEEP, username: KEEP },
};

function fluxShape(metadata: Shape): Shape {
  return {
    kind: KEEP,
    // assembleFlux: FluxResource.apiVersion.
    apiVersion: KEEP,
    // deriveFluxReadiness: `generation` tells a stale status.
    metadata: { ...metadata, generation: KEEP },
    spec: {
      // deriveFluxReadiness; FluxActions refuses to reconcile a suspended object.
      suspend: KEEP,
      // fluxSourceRef: EntityResolver.sourceOf, assembleFlux, FluxActions (withSource).
      sourceRef: SOURCE_REF,
      chartRef: SOURCE_REF,
      chart: { spec: { sourceRef: SOURCE_REF } },
      // assembleFlux: a source's URL.
      url: KEEP,
      // deriveFluxReadiness: a HelmRepository of type oci is static (it has no status).
      type: KEEP,
    },
    // deriveFluxReadiness.
    status: {
      conditions: each(FLUX_CONDITION),
      observedGeneration: KEEP,
      lastAppliedRevision: KEEP,
      lastAttemptedRevision: KEEP,
      // HelmRelease: the deployed release's chart version, the newest one's reconcile time.
      history: each({
        status: KEEP,
        chartVersion: KEEP,
        lastReconciled: KEEP,
        lastDeployed: KEEP,
      }),
      // Sources: the artifact's revision and time, and the Git commit an OCI artifact was
      // pushed from (deriveFluxReadiness originRevision).
      artifact: {
        revision: KEEP,
        lastUpdateTime: KEEP,
        metadata: { 'org.opencontainers.image.revision': KEEP },
      },
      // Kustomization: the Git commit behind the applied OCI artifact.
      lastAppliedOriginRevision: KEEP,
      // HelmRelease with a chart template: the HelmChart Flux made (`namespace/name`),
      // EntityResolver.chartOf and assembleFlux chartRef.
      helmChart: KEEP,
    },
  };
}

/** Kustomizations and HelmReleases are selected by labels; sources are not. */
const FLUX_OWNER = fluxShape(SEED_METADATA);
const FLUX_SOURCE = fluxShape(BASE_METADATA);

// deriveIstioRouting reads the rest of the Istio kinds.
/** Response headers a route adds or sets: session affinity's Set-Cookie (hasSetCookie). */
const HEADER_CHANGES: Shape = { add: KEEP, set: KEEP };

const VS_DESTINATION: Shape = {
  destination: { host: KEEP, subset: KEEP },
  weight: KEEP,
  headers: { response: HEADER_CHANGES },
};

const VIRTUAL_SERVICE: Shape = {
  kind: KEEP,
  // IstioRouting.router.apiVersion.
  apiVersion: KEEP,
  metadata: GENERATED_METADATA,
  spec: {
    hosts: each(KEEP),
    gateways: shared(each(KEEP)),
    http: each({
      name: KEEP,
      // The conditions are shown in words (A/B testing, the sticky cookie).
      match: KEEP,
      route: each(VS_DESTINATION),
      mirror: { host: KEEP },
      mirrorPercentage: { value: KEEP },
    }),
    // TCP canaries (appProtocol TCP).
    tcp: each({ match: KEEP, route: each(VS_DESTINATION) }),
  },
};

/** TLS settings that may conflict with STRICT mTLS. */
const TLS: Shape = { mode: KEEP };

const DESTINATION_RULE: Shape = {
  kind: KEEP,
  metadata: GENERATED_METADATA,
  spec: {
    host: KEEP,
    // A TLS mode that conflicts with STRICT mTLS (deriveIstioRouting destinationRules).
    trafficPolicy: shared({ tls: TLS }),
  },
};

/**
 * Flagger's Gateway API router: the HTTPRoute named after the apex service, owned by the
 * canary. deriveIstioRouting reads hostnames, parentRefs and every rule's matches, filters
 * (mirroring, the session-affinity Set-Cookie) and weighted backendRefs.
 */
const HTTP_ROUTE: Shape = {
  kind: KEEP,
  // IstioRouting.router.apiVersion.
  apiVersion: KEEP,
  // `generation`: whether the parents accepted the current rules (unacceptedParents).
  metadata: { ...GENERATED_METADATA, generation: KEEP },
  spec: {
    hostnames: each(KEEP),
    parentRefs: shared(each({ name: KEEP, namespace: KEEP })),
    rules: each({
      name: KEEP,
      // The conditions in words (A/B testing, the sticky cookie).
      matches: KEEP,
      // Mirroring: the mirrored backend and its share.
      filters: each({
        requestMirror: {
          backendRef: { name: KEEP },
          percent: KEEP,
          fraction: { numerator: KEEP, denominator: KEEP },
        },
      }),
      backendRefs: each({
        name: KEEP,
        weight: KEEP,
        // Session affinity: the Set-Cookie a weighted backend answers with.
        filters: each({ responseHeaderModifier: HEADER_CHANGES }),
      }),
    }),
  },
  // Whether each parent Gateway accepted the route (unacceptedParents).
  status: {
    parents: each({
      parentRef: { name: KEEP },
      conditions: each({
        type: KEEP,
        status: KEEP,
        reason: KEEP,
        message: TEXT,
        observedGeneration: KEEP,
      }),
    }),
  },
};

/** Gateways are watched for their names only: HTTPRoute parentRefs name them. */
const GATEWAY: Shape = { kind: KEEP, metadata: BASE_METADATA };

/** The Istio policies that select workloads by `spec.selector.matchLabels`. */
function selectorPolicyShape(spec: Shape): Shape {
  return {
    kind: KEEP,
    metadata: POLICY_METADATA,
    spec: { selector: { matchLabels: STRING_MAP }, ...spec },
  };
}

const PEER_AUTHENTICATION = selectorPolicyShape({
  mtls: { mode: KEEP },
  // Port number -> { mode }: a map, kept as it is.
  portLevelMtls: KEEP,
});

const AUTHORIZATION_POLICY = selectorPolicyShape({
  action: KEEP,
  // Only the number of rules is shown.
  rules: LENGTH,
});

const SIDECAR: Shape = {
  kind: KEEP,
  metadata: POLICY_METADATA,
  spec: {
    workloadSelector: { labels: STRING_MAP },
    outboundTrafficPolicy: { mode: KEEP },
    egress: each({ hosts: each(KEEP) }),
  },
};

/**
 * Flagger's events, for the EventHistory: deriveCanaryEvents and eventTimestamp (reason,
 * message, type, count, the timestamps, metadata.creationTimestamp), isFlaggerEventFor
 * (involvedObject), EventHistory (metadata.uid or name as the key, resourceVersion) and
 * RolloutRecorder (metadata.uid or name).
 */
export const EVENT: Shape = {
  kind: KEEP,
  metadata: {
    name: KEEP,
    namespace: KEEP,
    uid: KEEP,
    resourceVersion: KEEP,
    creationTimestamp: KEEP,
  },
  involvedObject: { kind: KEEP, name: KEEP, namespace: KEEP },
  reason: KEEP,
  message: TEXT,
  type: KEEP,
  count: KEEP,
  firstTimestamp: KEEP,
  lastTimestamp: KEEP,
  eventTime: KEEP,
};

export const SHAPES: Record<string, Shape> = {
  Canary: CANARY,
  Deployment: DEPLOYMENT,
  DaemonSet: DAEMON_SET,
  MetricTemplate: METRIC_TEMPLATE,
  AlertProvider: ALERT_PROVIDER,
  Event: EVENT,
  Kustomization: FLUX_OWNER,
  HelmRelease: FLUX_OWNER,
  GitRepository: FLUX_SOURCE,
  OCIRepository: FLUX_SOURCE,
  HelmRepository: FLUX_SOURCE,
  HelmChart: FLUX_SOURCE,
  Bucket: FLUX_SOURCE,
  ExternalArtifact: FLUX_SOURCE,
  VirtualService: VIRTUAL_SERVICE,
  DestinationRule: DESTINATION_RULE,
  PeerAuthentication: PEER_AUTHENTICATION,
  AuthorizationPolicy: AUTHORIZATION_POLICY,
  Sidecar: SIDECAR,
  HTTPRoute: HTTP_ROUTE,
  Gateway: GATEWAY,
};
