import {
  isRecord,
  KubeEvent,
  KubeObject,
} from '@internal/plugin-progressive-delivery-common';

/*
 * What the plugin keeps of each watched object. The object store holds every object of every
 * cluster in memory, so each one is cut down to the fields some part of the plugin reads, as it
 * arrives: KubernetesClient.list projects every list page, ObjectStore.upsert and EventHistory
 * every watch event.
 *
 * IF YOU READ A NEW FIELD of a cached object (in a derivation of the common package, the
 * assembler, the resolver, the history recorder or an action), ADD IT TO ITS KIND'S SHAPE BELOW,
 * naming the reader, or it will always read as undefined. `projectObject.fidelity.test.ts` runs
 * the derivations, resolver and assembler on full and on projected objects and must keep
 * getting identical answers; give it an object that has the new field if none does.
 *
 * A shape only narrows what it recognises: a field whose value is not the record or list the
 * shape expects (a malformed object) is kept as it is, so the derivations report the same
 * problem they would on the full object. Kinds without a shape keep everything but
 * `metadata.managedFields` and the last-applied-configuration annotation.
 */

/** Keep the value as it is (long strings are interned). */
const KEEP = 'keep';
/** A string map (labels, selectors): copied, its string values interned. */
const STRING_MAP = 'stringMap';
/** Only the list's length is read: entries are replaced by `null`. */
const LENGTH = 'length';

type Leaf = typeof KEEP | typeof STRING_MAP | typeof LENGTH;

/** The fields kept of a record. */
interface Shape {
  [field: string]: Shape | Leaf | Each;
}

/** A list whose entries are cut to `entry` (records) or kept as `entry` says (leaves). */
class Each {
  constructor(readonly entry: Shape | Leaf) {}
}

const each = (entry: Shape | Leaf) => new Each(entry);

/** A dictionary-mode object: adding and deleting keys creates no hidden classes. */
const internTable: Record<string, 0> = Object.create(null);

/**
 * Interns a string through V8's string table, so the thousands of copies of the same value that
 * JSON.parse makes (a webhook URL of every canary of a namespace, an image shared by a target
 * and its primary, repeated condition reasons and messages) become one. JSON.parse already
 * interns values of up to 10 characters. The string table is weak: unused strings still go.
 */
function intern(value: string): string {
  if (value.length <= 10) {
    return value;
  }
  // A property key is internalized; strings longer than 10 characters are never array indices,
  // so the key comes back as that internalized string.
  internTable[value] = 0;
  const [interned] = Object.keys(internTable);
  delete internTable[value];
  return interned;
}

function keepValue(value: unknown): unknown {
  return typeof value === 'string' ? intern(value) : value;
}

function copyStringMap(value: unknown): unknown {
  if (!isRecord(value)) {
    return keepValue(value);
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') {
      // An own property, as JSON.parse made it, not the prototype.
      Object.defineProperty(copy, key, {
        value: keepValue(value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = keepValue(value[key]);
    }
  }
  return copy;
}

type Projector = (value: unknown) => unknown;

const lengthOnly: Projector = value =>
  Array.isArray(value) ? value.map(() => null) : value;

/** Turns a shape into a function once, so projecting an object only runs the plan. */
function compile(shape: Shape | Leaf | Each): Projector {
  if (shape === KEEP) {
    return keepValue;
  }
  if (shape === STRING_MAP) {
    return copyStringMap;
  }
  if (shape === LENGTH) {
    return lengthOnly;
  }
  if (shape instanceof Each) {
    const entry = compile(shape.entry);
    const entryIsRecord = typeof shape.entry !== 'string';
    return value =>
      Array.isArray(value)
        ? value.map(v => (entryIsRecord && !isRecord(v) ? v : entry(v)))
        : value;
  }
  const fields = Object.keys(shape);
  const projectors = fields.map(field => compile(shape[field]));
  return value => {
    if (!isRecord(value)) {
      return value;
    }
    const result: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      const field = value[fields[i]];
      if (field !== undefined) {
        result[fields[i]] = projectors[i](field);
      }
    }
    return result;
  };
}

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
  message: KEEP,
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
  }),
  // Gates and hooks; CanaryActions calls a gate's url through the service proxy.
  webhooks: each({ name: KEEP, type: KEEP, url: KEEP }),
};

const CANARY: Shape = {
  kind: KEEP,
  metadata: SEED_METADATA,
  spec: {
    // ObjectStore target index, EntityResolver.resolveCanary, assembleCanary's target,
    // deriveCanaryProgress (a problem when missing), canaryServiceNames.
    targetRef: { kind: KEEP, name: KEEP },
    // canaryServiceNames and EntityResolver.resolveCanary: the apex service's name.
    service: { name: KEEP },
    // deriveCanaryProgress.
    provider: KEEP,
    skipAnalysis: KEEP,
    suspend: KEEP,
    analysis: CANARY_ANALYSIS,
    // The v1alpha3 name Flagger still honours.
    canaryAnalysis: CANARY_ANALYSIS,
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
    // The Promoted condition's message.
    conditions: each({ type: KEEP, message: KEEP }),
  },
};

const DEPLOYMENT: Shape = {
  kind: KEEP,
  metadata: SEED_METADATA,
  spec: {
    // deriveWorkloadSummary.
    replicas: KEEP,
    template: {
      // assembleCanary podLabels: the pod labels Istio policies select.
      metadata: { labels: STRING_MAP },
      // deriveWorkloadSummary: the images.
      spec: { containers: each({ image: KEEP }) },
    },
  },
  // deriveWorkloadSummary.
  status: { readyReplicas: KEEP, updatedReplicas: KEEP },
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
      // Sources: the artifact's revision and time.
      artifact: { revision: KEEP, lastUpdateTime: KEEP },
    },
  };
}

/** Kustomizations and HelmReleases are selected by labels; sources are not. */
const FLUX_OWNER = fluxShape(SEED_METADATA);
const FLUX_SOURCE = fluxShape(BASE_METADATA);

// deriveIstioRouting reads the rest of the Istio kinds.
const VIRTUAL_SERVICE: Shape = {
  kind: KEEP,
  metadata: GENERATED_METADATA,
  spec: {
    hosts: each(KEEP),
    gateways: each(KEEP),
    http: each({
      name: KEEP,
      // Only whether a route has match conditions is read.
      match: LENGTH,
      route: each({ destination: { host: KEEP, subset: KEEP }, weight: KEEP }),
      mirror: { host: KEEP },
      mirrorPercentage: { value: KEEP },
    }),
  },
};

const DESTINATION_RULE: Shape = {
  kind: KEEP,
  metadata: GENERATED_METADATA,
  spec: { host: KEEP },
};

/** The Istio policies that select workloads by `spec.selector.matchLabels`. */
function selectorPolicyShape(spec: Shape): Shape {
  return {
    kind: KEEP,
    metadata: POLICY_METADATA,
    spec: { selector: { matchLabels: STRING_MAP }, ...spec },
  };
}

const PEER_AUTHENTICATION = selectorPolicyShape({ mtls: { mode: KEEP } });

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
const EVENT: Shape = {
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
  message: KEEP,
  type: KEEP,
  count: KEEP,
  firstTimestamp: KEEP,
  lastTimestamp: KEEP,
  eventTime: KEEP,
};

const SHAPES: Record<string, Shape> = {
  Canary: CANARY,
  Deployment: DEPLOYMENT,
  Event: EVENT,
  Kustomization: FLUX_OWNER,
  HelmRelease: FLUX_OWNER,
  GitRepository: FLUX_SOURCE,
  OCIRepository: FLUX_SOURCE,
  HelmRepository: FLUX_SOURCE,
  VirtualService: VIRTUAL_SERVICE,
  DestinationRule: DESTINATION_RULE,
  PeerAuthentication: PEER_AUTHENTICATION,
  AuthorizationPolicy: AUTHORIZATION_POLICY,
  Sidecar: SIDECAR,
};

const PROJECTORS = new Map(
  Object.entries(SHAPES).map(([kind, shape]) => [kind, compile(shape)]),
);
const projectEventRecord = compile(EVENT);

/** Marks what projectObject returned (a non-enumerable property, never in JSON). */
const PROJECTED = Symbol('projected');

const isProjected = (object: object) =>
  (object as Record<symbol, unknown>)[PROJECTED] === true;

const LAST_APPLIED_ANNOTATION =
  'kubectl.kubernetes.io/last-applied-configuration';

/** Kinds without a shape: everything but managed fields and the last-applied annotation. */
function stripObject(object: KubeObject): KubeObject {
  if (!isRecord(object.metadata)) {
    return { ...object };
  }
  const { managedFields: _managedFields, ...metadata } = object.metadata as {
    managedFields?: unknown;
  } & Record<string, unknown>;
  const annotations = metadata.annotations;
  if (isRecord(annotations) && LAST_APPLIED_ANNOTATION in annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...rest } = annotations;
    metadata.annotations = rest;
  }
  return { ...object, metadata } as KubeObject;
}

/**
 * Cuts an object down to what the plugin reads of its kind (see the shapes above). Never
 * throws; anything that is not an object is returned as it is. Projecting twice gives the same
 * object as projecting once.
 */
export function projectObject(object: KubeObject): KubeObject {
  if (!isRecord(object) || isProjected(object)) {
    return object;
  }
  const project =
    typeof object.kind === 'string' ? PROJECTORS.get(object.kind) : undefined;
  const result = project
    ? (project(object) as KubeObject)
    : stripObject(object);
  // Invisible to Object.keys, spreading and JSON: lets the store take a list page's objects as
  // they are instead of projecting them twice.
  Object.defineProperty(result, PROJECTED, { value: true });
  return result;
}

/** An event as the EventHistory keeps it, whatever `kind` it claims. */
export function projectEvent(event: KubeEvent): KubeEvent {
  return isRecord(event) && event.kind === 'Event' && isProjected(event)
    ? event
    : (projectEventRecord(event) as KubeEvent);
}
