import {
  canaryServiceNames,
  CanaryState,
  ClusterStatus,
  currentRolloutEvents,
  deriveCanaryEvents,
  deriveCanaryProgress,
  deriveFluxReadiness,
  deriveIstioRouting,
  deriveRolloutChanges,
  deriveWorkloadSummary,
  fluxSourceRefs,
  KubeEvent,
  KubeObject,
  renderAnalysisQueries,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator, startSimulator } from '@internal/cluster-simulator';
import { rolloutStartMs } from './analysis/canarySituation';
import { DEMO_SIMULATOR } from './__testUtils__/demoSimulator';
import { fixtureFiles, loadFixtureDocuments } from './__testUtils__/fixtures';
import { comparedWorkload } from './history/canaryChanges';
import { deriveRollout } from './history/deriveRollout';
import { Promotion } from './history/RolloutChangesRepository';
import { RolloutChangesService } from './history/RolloutChangesService';
import { FluxLookup } from './resolve/fluxLinks';
import { EntityResolver } from './resolve/EntityResolver';
import { FLUX_SOURCE_KINDS } from './resolve/fluxLinks';
import { EntitySelection } from './resolve/entitySelection';
import { parseLabelSelector } from './resolve/labelSelector';
import {
  assembleCanary,
  assembleCluster,
} from './state/DeliveryStateAssembler';
import { EventHistory } from './watch/EventHistory';
import { WATCHED_KINDS } from './watch/kinds';
import { ObjectStore } from './watch/ObjectStore';
import { projectObject } from './watch/projectObject';

/*
 * The proof that projecting objects loses nothing the plugin shows: every derivation, the
 * resolver and the assembler run on the full objects (through a plain reference store that
 * scans them) and on what the real ObjectStore and EventHistory keep, and must answer the same,
 * over the common package's fixtures, the simulator's demo (at several points of rollouts that
 * succeed, wait at gates and fail) and scale scenarios, and malformed variants of all of them.
 */

jest.setTimeout(60_000);

const ROOT_NAMESPACE = 'istio-system';
const NOW = new Date('2026-08-10T09:30:00Z');
const FLUX_KINDS = ['Kustomization', 'HelmRelease', ...FLUX_SOURCE_KINDS];

interface ClusterSnapshot {
  cluster: string;
  objects: KubeObject[];
  events: KubeEvent[];
}

// A JSON round trip, as objects arrive from a cluster (and in this test realm: structuredClone
// would make objects of the outer realm, which toStrictEqual tells apart).
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/**
 * A derivation's answer, or the error it threw: should a derivation ever throw on a malformed
 * object, it must throw the same way on the projected one.
 */
function attempt<T>(derive: () => T): T | { threw: string } {
  try {
    return derive();
  } catch (error) {
    return { threw: String(error) };
  }
}

/**
 * The promotion before every canary's revision, as the history would give it: a Git revision
 * and checksums of configs the fixtures track (podinfo-config changed, podinfo-secret not) and
 * of one no longer tracked.
 */
const PROMOTION: Promotion = {
  revision: 'promoted-before',
  sourceRevision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
  trackedConfigs: {
    'configmap/podinfo-config': '0000000000000000',
    'secret/podinfo-secret': 'a11a0b4f0fd8b3b4',
    'configmap/retired': '1111111111111111',
  },
};

/** What the state reads of what changed in rollouts, over `lookup`, the promotion fixed. */
function changesReader(lookup: FluxLookup): RolloutChangesService {
  return new RolloutChangesService({
    lookup,
    promotions: {
      peek: () => PROMOTION,
      get: async () => PROMOTION,
      promoted: () => {},
      forget: () => {},
      subscribe: () => () => {},
    },
    repository: { record: async () => {} },
  });
}

// --- the full side: every object as it came from the cluster, found by scanning -------------

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the resolver asks of the ObjectStore, answered by scanning the full objects. */
class ReferenceStore {
  constructor(private readonly snapshots: ClusterSnapshot[]) {}

  private objects(cluster: string): KubeObject[] {
    return this.snapshots.find(s => s.cluster === cluster)?.objects ?? [];
  }

  get(cluster: string, kind: string, namespace: string, name: string) {
    return this.objects(cluster).find(
      o =>
        o.kind === kind &&
        (o.metadata?.namespace ?? '') === namespace &&
        (o.metadata?.name ?? '') === name,
    );
  }

  list(cluster: string, kind: string, namespace?: string) {
    return this.objects(cluster).filter(
      o =>
        o.kind === kind &&
        (namespace === undefined ||
          (o.metadata?.namespace ?? '') === namespace),
    );
  }

  byLabel(cluster: string, key: string, value: string) {
    return this.objects(cluster).filter(o => {
      const labels = o.metadata?.labels;
      return isRecord(labels) && key in labels && `${labels[key]}` === value;
    });
  }

  byOwner(cluster: string, namespace: string, kind: string, name: string) {
    return this.objects(cluster).filter(o => {
      const owners = o.metadata?.ownerReferences;
      return (
        (o.metadata?.namespace ?? '') === namespace &&
        Array.isArray(owners) &&
        owners.some(r => r?.kind === kind && r.name === name)
      );
    });
  }

  canariesTargeting(
    cluster: string,
    namespace: string,
    kind: string,
    name: string,
  ) {
    return this.objects(cluster).filter(o => {
      const ref = (o.spec as { targetRef?: { kind?: unknown; name?: unknown } })
        ?.targetRef;
      return (
        o.kind === 'Canary' &&
        (o.metadata?.namespace ?? '') === namespace &&
        ref?.kind === kind &&
        ref.name === name
      );
    });
  }
}

/** The events of a canary, in arrival order and keyed like the EventHistory, kept whole. */
class ReferenceEvents {
  constructor(private readonly snapshots: ClusterSnapshot[]) {}

  eventsFor(cluster: string, namespace: string, name: string): KubeEvent[] {
    const byKey = new Map<string, KubeEvent>();
    for (const event of this.snapshots.find(s => s.cluster === cluster)
      ?.events ?? []) {
      const involved = event.involvedObject;
      if (
        involved?.kind === 'Canary' &&
        involved.name === name &&
        (involved.namespace ?? event.metadata?.namespace ?? '') === namespace
      ) {
        // Like EventHistory: a known event with the same resourceVersion is not replaced.
        const key = event.metadata?.uid ?? event.metadata?.name ?? '';
        const previous = byKey.get(key);
        if (
          !previous ||
          previous.metadata?.resourceVersion !== event.metadata?.resourceVersion
        ) {
          byKey.set(key, event);
        }
      }
    }
    return [...byKey.values()];
  }
}

// --- selections: every way an entity can select objects ---------------------------------

function selectionsFor(snapshot: ClusterSnapshot): EntitySelection[] {
  const base = { canaries: [], invalid: [] };
  const selections: EntitySelection[] = [];
  const pairs = new Set<string>();
  const keys = new Set<string>();
  for (const object of snapshot.objects) {
    const labels = object.metadata?.labels;
    if (!isRecord(labels)) {
      continue;
    }
    for (const [key, value] of Object.entries(labels)) {
      if (typeof value === 'string') {
        pairs.add(JSON.stringify([key, value]));
        keys.add(key);
      }
    }
  }
  for (const pair of pairs) {
    const [key, value] = JSON.parse(pair) as [string, string];
    if (key === 'backstage.io/kubernetes-id') {
      selections.push({ ...base, kubernetesId: value });
    }
    selections.push({
      ...base,
      labelSelector: [{ op: 'eq', key, value }],
    });
  }
  for (const key of keys) {
    // Without an equality term the resolver lists the seed kinds instead of the label index.
    selections.push({ ...base, labelSelector: parseLabelSelector(key) });
  }
  selections.push({
    ...base,
    labelSelector: parseLabelSelector('app notin (nothing),!absent'),
  });
  for (const canary of snapshot.objects.filter(o => o.kind === 'Canary')) {
    const namespace = canary.metadata?.namespace;
    const name = canary.metadata?.name;
    if (typeof namespace === 'string' && typeof name === 'string') {
      selections.push({ ...base, canaries: [{ namespace, name }] });
      const id = canary.metadata?.labels?.['backstage.io/kubernetes-id'];
      if (typeof id === 'string') {
        selections.push({ ...base, kubernetesId: id, namespace });
      }
    }
  }
  const unique = new Map(selections.map(s => [JSON.stringify(s), s]));
  return [...unique.values()];
}

// --- the comparison -------------------------------------------------------------------------

const STATUS = (cluster: string): ClusterStatus => ({
  name: cluster,
  url: 'https://example.com',
  state: 'synced',
  errors: [],
  kinds: [],
});

function podLabelsOf(deployment: KubeObject | undefined) {
  const labels = (
    deployment?.spec as { template?: { metadata?: { labels?: unknown } } }
  )?.template?.metadata?.labels;
  return isRecord(labels) ? (labels as Record<string, string>) : undefined;
}

const nameOf = (o: KubeObject | undefined) => String(o?.metadata?.name ?? '');
const sameKind = (a: KubeObject, b: KubeObject) =>
  a.kind === b.kind && a.metadata?.namespace === b.metadata?.namespace;

/** A canary's changes against its target's `-primary`, as the backend compares them. */
function changesOf(canary: KubeObject, context: KubeObject[]) {
  const ref = (
    canary.spec as { targetRef?: { kind?: unknown; name?: unknown } }
  )?.targetRef;
  const find = (name: string) =>
    context.find(
      o =>
        o.kind === ref?.kind &&
        o.metadata?.namespace === canary.metadata?.namespace &&
        nameOf(o) === name,
    );
  const git = context.find(o => o.kind === 'GitRepository');
  const artifact = (git?.status as { artifact?: { revision?: unknown } })
    ?.artifact;
  return deriveRolloutChanges({
    canary,
    target: comparedWorkload(find(String(ref?.name))),
    primary: comparedWorkload(find(`${String(ref?.name)}-primary`)),
    previousTrackedConfigs: PROMOTION.trackedConfigs,
    source: {
      gitRepository: git,
      fromRevision: PROMOTION.sourceRevision,
      toRevision:
        typeof artifact?.revision === 'string' ? artifact.revision : undefined,
    },
  });
}

/** A workload (a malformed variant `<name>-oddN` too) against its original or `-primary`. */
function workloadChanges(workload: KubeObject, context: KubeObject[]) {
  const name = nameOf(workload);
  const base = name.replace(/-odd\d+$/, '');
  const primary = context.find(
    o =>
      sameKind(o, workload) &&
      nameOf(o) === (base === name ? `${name}-primary` : base),
  );
  return deriveRolloutChanges({
    canary: {
      kind: 'Canary',
      metadata: { name: 'c', namespace: workload.metadata?.namespace },
      spec: { targetRef: { kind: workload.kind, name } },
    },
    target: comparedWorkload(workload),
    primary: comparedWorkload(primary),
  });
}

/** Everything derived from one object, as each reader of that kind reads it. */
function deriveObject(
  cluster: string,
  object: KubeObject,
  events: KubeEvent[],
  context: KubeObject[],
): unknown {
  switch (object.kind) {
    case 'Canary': {
      const istio = (kind: string) =>
        context.filter(
          o =>
            o.kind === kind &&
            (o.metadata?.namespace === object.metadata?.namespace ||
              o.metadata?.namespace === ROOT_NAMESPACE),
        );
      return {
        // What changed, whatever the phase: against the target's `-primary` in the context,
        // with the context's first GitRepository (the state and the recorder: canarySource).
        changes: attempt(() => changesOf(object, context)),
        // CanaryActions
        actions: attempt(() =>
          deriveCanaryProgress(object, {
            events: currentRolloutEvents(deriveCanaryEvents(events)),
          }),
        ),
        // the rollout history
        rollout: attempt(() => deriveRollout(cluster, object, events)),
        lastAppliedSpec: (object.status as { lastAppliedSpec?: unknown })
          ?.lastAppliedSpec,
        names: attempt(() => canaryServiceNames(object)),
        // the analysis evaluator: each check's queries for the canary and the primary, with
        // every MetricTemplate; when the rollout began
        analysisQueries: attempt(() =>
          renderAnalysisQueries(object, {
            templates: context.filter(o => o.kind === 'MetricTemplate'),
          }),
        ),
        rolloutStart: attempt(() =>
          rolloutStartMs(
            object,
            currentRolloutEvents(deriveCanaryEvents(events)),
          ),
        ),
        // with every MetricTemplate and AlertProvider, wherever it is
        checks: attempt(() =>
          deriveCanaryProgress(object, {
            metricTemplates: context.filter(o => o.kind === 'MetricTemplate'),
            alertProviders: context.filter(o => o.kind === 'AlertProvider'),
          }),
        ),
        // every router object of the namespace, not only those the resolver would pick
        routing: [
          ...istio('VirtualService').map(virtualService => ({
            virtualService,
            httpRoutes: undefined,
          })),
          ...istio('HTTPRoute').map(route => ({
            virtualService: undefined,
            httpRoutes: [route],
          })),
        ].map(router =>
          attempt(() =>
            deriveIstioRouting({
              canary: object,
              ...router,
              // The derivation reads the route named after the apex service: every route
              // (the renamed variants too) under that name.
              httpRoutes: router.httpRoutes?.map(route =>
                withValue(
                  route,
                  'metadata.name',
                  canaryServiceNames(object).apex,
                ),
              ),
              destinationRules: istio('DestinationRule'),
              workloadLabels: podLabelsOf(
                [...istio('Deployment'), ...istio('DaemonSet')].find(
                  d =>
                    d.metadata?.name ===
                    `${canaryServiceNames(object).apex}-primary`,
                ),
              ),
              peerAuthentications: istio('PeerAuthentication'),
              authorizationPolicies: istio('AuthorizationPolicy'),
              sidecars: istio('Sidecar'),
              rootNamespace: ROOT_NAMESPACE,
            }),
          ),
        ),
      };
    }
    case 'Deployment':
    case 'DaemonSet':
      return {
        summary: attempt(() => deriveWorkloadSummary(cluster, object)),
        podLabels: podLabelsOf(object),
        // What changed, as the target against its original (a variant) or its -primary.
        changes: attempt(() => workloadChanges(object, context)),
      };
    default:
      if (FLUX_KINDS.includes(object.kind ?? '')) {
        return {
          readiness: attempt(() => deriveFluxReadiness(object)),
          sources: attempt(() => fluxSourceRefs(object)),
          // FluxActions and assembleFlux
          suspended:
            (object.spec as { suspend?: unknown } | undefined)?.suspend ===
            true,
          apiVersion: object.apiVersion,
          url: (object.spec as { url?: unknown } | undefined)?.url,
        };
      }
      return undefined;
  }
}

const KIND_ORDER = WATCHED_KINDS.map(k => k.kind);

/** Canaries whose state showed changes, by what changed: the comparison was not empty. */
const changesSeen = { containers: 0, podTemplate: 0, configs: 0, source: 0 };

function countChanges(state: unknown) {
  const changes = (state as CanaryState).changes;
  if (!changes) {
    return;
  }
  changesSeen.containers += changes.containers.length > 0 ? 1 : 0;
  changesSeen.podTemplate += changes.podTemplate.length > 0 ? 1 : 0;
  changesSeen.configs += changes.configs.some(c => c.change === 'changed')
    ? 1
    : 0;
  changesSeen.source += changes.source?.compareUrl ? 1 : 0;
}

function expectSameOutput(unordered: ClusterSnapshot[]): number {
  // In the order the watchers fill the store (kind by kind), so that lookups across kinds
  // answer in the same order on both sides.
  const snapshots = unordered.map(s => ({
    ...s,
    objects: [...s.objects].sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind ?? '') - KIND_ORDER.indexOf(b.kind ?? ''),
    ),
  }));
  const store = new ObjectStore();
  // Trimming old events is not what is compared here.
  const history = new EventHistory(Number.MAX_SAFE_INTEGER);
  for (const { cluster, objects, events } of snapshots) {
    for (const { kind } of WATCHED_KINDS) {
      store.replace(
        cluster,
        kind,
        objects.filter(o => o.kind === kind),
      );
    }
    history.replace(cluster, 'Event', events);
  }
  const projected = new EntityResolver(store, history, ROOT_NAMESPACE);
  const full = new EntityResolver(
    new ReferenceStore(snapshots) as unknown as ObjectStore,
    new ReferenceEvents(snapshots) as unknown as EventHistory,
    ROOT_NAMESPACE,
  );
  const fullEvents = new ReferenceEvents(snapshots);
  const projectedChanges = changesReader(store);
  const fullChanges = changesReader(new ReferenceStore(snapshots));

  let compared = 0;
  for (const snapshot of snapshots) {
    const { cluster } = snapshot;
    // What the store holds is what the projection makes, object for object.
    for (const object of snapshot.objects) {
      const kept = store.get(
        cluster,
        object.kind!,
        object.metadata!.namespace ?? '',
        object.metadata!.name!,
      );
      expect(kept).toStrictEqual(projectObject(object));
    }
    // Entity views and the fleet list.
    for (const selection of selectionsFor(snapshot)) {
      const fullState = attempt(() =>
        assembleCluster(
          full.resolve(selection, cluster),
          STATUS(cluster),
          ROOT_NAMESPACE,
          NOW,
          undefined,
          fullChanges,
        ),
      );
      const projectedState = attempt(() =>
        assembleCluster(
          projected.resolve(selection, cluster),
          STATUS(cluster),
          ROOT_NAMESPACE,
          NOW,
          undefined,
          projectedChanges,
        ),
      );
      expect({ selection, state: projectedState }).toStrictEqual({
        selection,
        state: fullState,
      });
      compared += 1;
    }
    for (const canary of snapshot.objects.filter(o => o.kind === 'Canary')) {
      const ref = [
        cluster,
        canary.metadata?.namespace ?? '',
        canary.metadata?.name ?? '',
      ] as const;
      const kept = store.get(ref[0], 'Canary', ref[1], ref[2])!;
      const projectedCanary = attempt(() =>
        assembleCanary(
          cluster,
          projected.resolveCanary(cluster, kept),
          ROOT_NAMESPACE,
          NOW,
          undefined,
          projectedChanges,
        ),
      );
      countChanges(projectedCanary);
      expect(projectedCanary).toStrictEqual(
        attempt(() =>
          assembleCanary(
            cluster,
            full.resolveCanary(cluster, canary),
            ROOT_NAMESPACE,
            NOW,
            undefined,
            fullChanges,
          ),
        ),
      );
    }
    // Each object through every reader of its kind.
    const projectedContext = snapshot.objects.map(projectObject);
    for (const object of snapshot.objects) {
      const ref = [
        object.metadata?.namespace ?? '',
        object.metadata?.name ?? '',
      ]
        .map(String)
        .join('/');
      const [namespace, name] = ref.split('/');
      expect({
        ref,
        derived: deriveObject(
          cluster,
          projectObject(object),
          history.eventsFor(cluster, namespace, name),
          projectedContext,
        ),
      }).toStrictEqual({
        ref,
        derived: deriveObject(
          cluster,
          object,
          fullEvents.eventsFor(cluster, namespace, name),
          snapshot.objects,
        ),
      });
      compared += 1;
    }
  }
  return compared;
}

// --- the common package's fixtures ----------------------------------------------------------

function fixture(file: string): KubeObject[] {
  return loadFixtureDocuments(file).flatMap(doc =>
    Array.isArray(doc.items) ? (doc.items as KubeObject[]) : [doc],
  );
}

const WATCHED = new Set(WATCHED_KINDS.map(k => k.kind));
const watched = (objects: KubeObject[]) =>
  objects.filter(o => WATCHED.has(o.kind ?? '') && o.kind !== 'Event');

function inNamespace(objects: KubeObject[], namespace: string): KubeObject[] {
  return objects.map(o => ({
    ...clone(o),
    metadata: { ...clone(o.metadata), namespace },
  }));
}

function fixtureSnapshots(): ClusterSnapshot[] {
  const events = fixture('flagger-canary-events.yaml') as KubeEvent[];
  const istio = watched(fixture('flagger-istio-generated-objects.yaml'));
  const tenant = watched(fixture('tenant-skeleton-synthesized.yaml'));
  const flux = [
    ...fixture('flux-kustomization-ready.yaml'),
    ...fixture('flux-sources-and-helmrelease-status.yaml'),
  ];
  const snapshots: ClusterSnapshot[] = [];
  for (const file of [
    'flagger-canary-progressing.yaml',
    'flagger-canary-failed.yaml',
    'flagger-canary-succeeded.yaml',
  ]) {
    const canary = fixture(file);
    for (const prefix of ['success', 'failure', 'gates', '']) {
      snapshots.push({
        cluster: `${file}/${prefix || 'all'}`,
        objects: [...canary, ...istio],
        events: events.filter(e =>
          e.metadata?.name?.startsWith(`podinfo.${prefix}`),
        ),
      });
    }
    // In a tenant namespace with its policies, and mesh-wide ones in the root namespace.
    snapshots.push({
      cluster: `${file}/tenant`,
      objects: [
        ...inNamespace([...canary, ...istio], 'team-a'),
        ...tenant,
        ...inNamespace(
          tenant.filter(o =>
            ['PeerAuthentication', 'AuthorizationPolicy', 'Sidecar'].includes(
              o.kind ?? '',
            ),
          ),
          ROOT_NAMESPACE,
        ),
      ],
      events: (inNamespace(events, 'team-a') as KubeEvent[]).map(e => ({
        ...e,
        involvedObject: { ...e.involvedObject, namespace: 'team-a' },
      })),
    });
  }
  snapshots.push({ cluster: 'flux', objects: watched(flux), events: [] });
  snapshots.push({
    cluster: 'flux-failed',
    objects: watched(fixture('flux-kustomization-healthcheck-failed.yaml')),
    events: [],
  });
  return snapshots;
}

/** Kinds an entity selects by label (EntityResolver's seeds). */
const SEED_KINDS = [
  'Canary',
  'Deployment',
  'DaemonSet',
  'Kustomization',
  'HelmRelease',
];

/**
 * One snapshot per upstream fixture (Gateway API, A/B, session affinity, TCP, mirroring,
 * DaemonSets, MetricTemplates and AlertProviders, Flux sources and conditions, Istio policies):
 * each file on its own, as their objects share names. The objects an entity selects get the
 * file's `backstage.io/kubernetes-id`, so the entity views follow every link from them.
 */
function upstreamSnapshot(cluster: string, files: string[]): ClusterSnapshot {
  const id = cluster.replace(/^upstream\/|\.yaml$/g, '');
  const objects = new Map<string, KubeObject>();
  for (const object of files.flatMap(file => watched(fixture(file)))) {
    const key = `${object.kind}/${object.metadata?.namespace}/${object.metadata?.name}`;
    if (!objects.has(key)) {
      objects.set(
        key,
        SEED_KINDS.includes(object.kind ?? '')
          ? withValue(object, 'metadata.labels', {
              ...object.metadata?.labels,
              'backstage.io/kubernetes-id': id,
            })
          : object,
      );
    }
  }
  return { cluster, objects: [...objects.values()], events: [] };
}

function upstreamSnapshots(): ClusterSnapshot[] {
  return [
    ...fixtureFiles('upstream').map(file => upstreamSnapshot(file, [file])),
    // The Istio policy cases have no canary of their own: with the Gateway API canary of
    // test/podinfo, the routing derivation reads them (the first object of a name wins).
    upstreamSnapshot(
      'upstream/policies-with-a-canary',
      [
        'gatewayapi-canary-progressing.yaml',
        'istio-port-level-mtls.yaml',
        'istio-root-namespace-authz.yaml',
        'istio-destinationrule-tls-conflict.yaml',
      ].map(file => `upstream/${file}`),
    ),
  ];
}

// --- malformed objects ----------------------------------------------------------------------

/** Sets `path` (dot-separated) in a copy, creating records on the way. */
function withValue(object: KubeObject, path: string, value: unknown) {
  const copy = clone(object) as Record<string, unknown>;
  const parts = path.split('.');
  let current = copy;
  for (const part of parts.slice(0, -1)) {
    if (!isRecord(current[part])) {
      current[part] = {};
    }
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1]] = value;
  return copy as KubeObject;
}

/**
 * Per kind (Flux: the Flux kinds), the changes that make variants: one path and its value, or
 * several paths at once. Not all are malformed: some reach shapes the scenarios lack (A/B
 * testing, events dated only by eventTime).
 */
type Change = [string, unknown] | Record<string, unknown>;

function withChange(object: KubeObject, change: Change): KubeObject {
  const values = Array.isArray(change) ? { [change[0]]: change[1] } : change;
  return Object.entries(values).reduce(
    (result, [path, value]) => withValue(result, path, value),
    object,
  );
}

const MALFORMED: Record<string, Change[]> = {
  Canary: [
    // What changed: the tracked configs, in a phase the state derives them in.
    ['status.trackedConfigs', 'x'],
    [
      'status.trackedConfigs',
      {
        'configmap/podinfo-config': 5,
        'secret/podinfo-secret': 'a11a0b4f0fd8b3b4',
        odd: 'x',
      },
    ],
    {
      'status.phase': 'Progressing',
      'status.trackedConfigs': {
        'configmap/podinfo-config': 'ffffffffffffffff',
      },
    },
    ['spec', 'x'],
    ['spec', 42],
    ['spec', []],
    ['spec', null],
    ['spec.targetRef', 'podinfo'],
    ['spec.targetRef', []],
    ['spec.targetRef', {}],
    ['spec.targetRef.name', 5],
    ['spec.service', 'x'],
    ['spec.service.name', 5],
    ['spec.provider', 'kubernetes'],
    ['spec.provider', 5],
    ['spec.skipAnalysis', 'true'],
    ['spec.suspend', true],
    ['spec.analysis', 'x'],
    ['spec.analysis', []],
    ['spec.analysis', null],
    ['spec.canaryAnalysis', { interval: '30s', stepWeights: [5, 10] }],
    ['spec.analysis.webhooks', {}],
    ['spec.analysis.webhooks', 'x'],
    [
      'spec.analysis.webhooks',
      [
        null,
        'hook',
        { name: 5 },
        { type: 'confirm-promotion' },
        { name: 'g', type: 'confirm-traffic-increase', url: 5 },
        { name: 'r', type: 'rollback', url: 'http://lt.test/rollback/check' },
      ],
    ],
    ['spec.analysis.metrics', 'x'],
    [
      'spec.analysis.metrics',
      [
        null,
        { name: 'request-success-rate', threshold: 99 },
        { name: 'm', templateRef: 'x', thresholdRange: 'x', threshold: 'a' },
        { name: 'n', templateRef: { name: 5 }, thresholdRange: { min: '1' } },
      ],
    ],
    ['spec.analysis.match', 'x'],
    ['spec.analysis.match', [{}]],
    {
      'spec.analysis.match': [{ headers: { x: { exact: 'y' } } }],
      'spec.analysis.iterations': 10,
    },
    { 'spec.analysis.match': [], 'spec.analysis.iterations': 5 },
    ['spec.analysis.iterations', 10],
    ['spec.analysis.stepWeights', 'x'],
    ['spec.analysis.stepWeights', [10, 'a', null, 60]],
    ['spec.analysis.stepWeight', '5'],
    ['spec.analysis.interval', 5],
    ['spec.analysis.interval', 'soon'],
    ['spec.analysis.mirror', 'yes'],
    ['spec.analysis.threshold', -1],
    ['status', 'x'],
    ['status', []],
    ['status', null],
    ['status', 5],
    ['status.phase', 5],
    ['status.phase', {}],
    ['status.phase', 'Unheard'],
    ['status.phase', 'WaitingPromotion'],
    ['status.canaryWeight', '10'],
    ['status.canaryWeight', null],
    ['status.failedChecks', {}],
    ['status.iterations', 'x'],
    ['status.lastAppliedSpec', 5],
    ['status.lastTransitionTime', 'yesterday'],
    ['status.conditions', 'x'],
    ['status.conditions', [null, 'x', { type: 'Promoted', message: 5 }]],
    ['metadata.labels', 'x'],
    ['metadata.labels', []],
    ['metadata.labels', { 'backstage.io/kubernetes-id': 5 }],
    ['spec.provider', 'gatewayapi:v1'],
    ['spec.provider', 'istio'],
    ['spec.targetRef', { kind: 'DaemonSet', name: 'podinfo-ds' }],
    ['spec.analysis.alerts', 'x'],
    [
      'spec.analysis.alerts',
      [
        null,
        'x',
        { name: 'a', providerRef: 'x' },
        {
          name: 'b',
          severity: 'error',
          providerRef: { name: 'on-call', namespace: 'flagger' },
        },
        { name: 'c', providerRef: { name: 'dev-msteams', namespace: '' } },
        { name: 'd', severity: 5, providerRef: { name: 5 } },
      ],
    ],
    [
      'spec.analysis.metrics',
      [
        { name: 'm', templateRef: { name: 'my-metric', namespace: 'flagger' } },
        {
          name: 'n',
          templateRef: { name: 'not-found-percentage', namespace: '' },
        },
        {
          name: 'o',
          templateRef: { name: 'error-rate', namespace: 'flagger-system' },
        },
      ],
    ],
    [
      'spec.analysis.sessionAffinity',
      { cookieName: 'flagger-cookie', maxAge: 21600 },
    ],
    ['spec.analysis.sessionAffinity', { maxAge: 21600 }],
    ['spec.analysis.sessionAffinity', 'x'],
  ],
  DaemonSet: [
    [
      'status',
      {
        desiredNumberScheduled: 3,
        numberReady: 2,
        updatedNumberScheduled: 1,
        numberAvailable: 2,
      },
    ],
    ['status.numberReady', 'x'],
    [
      'spec.template.spec.containers',
      [null, { image: 5 }, { image: 'podinfo:6' }],
    ],
    ['spec.template.metadata.labels', { app: 5 }],
    ['metadata.labels', 'x'],
  ],
  MetricTemplate: [
    ['spec', 'x'],
    ['spec.provider', 'x'],
    ['spec.provider.type', 5],
    ['spec.provider.address', null],
    ['spec.query', 5],
  ],
  AlertProvider: [
    ['spec', 'x'],
    ['spec.type', 5],
    ['spec.channel', {}],
    ['spec.username', 5],
  ],
  HTTPRoute: [
    ['spec', 'x'],
    ['spec.rules', 'x'],
    [
      'spec.rules',
      [
        null,
        'x',
        { backendRefs: 'x' },
        {
          name: 5,
          backendRefs: [
            null,
            { name: 5 },
            { name: 'podinfo-primary' },
            { name: 'podinfo-canary', weight: '10' },
          ],
        },
      ],
    ],
    // Mirroring, by percent and by fraction.
    [
      'spec.rules',
      [
        {
          backendRefs: [
            { name: 'podinfo-primary', weight: 100 },
            { name: 'podinfo-canary', weight: 0 },
          ],
          filters: [
            {
              type: 'RequestMirror',
              requestMirror: {
                backendRef: { name: 'podinfo-canary', port: 9898 },
                percent: 50,
              },
            },
          ],
        },
      ],
    ],
    [
      'spec.rules',
      [
        {
          backendRefs: [{ name: 'podinfo-primary' }],
          filters: [
            'x',
            {
              requestMirror: {
                backendRef: { name: 'podinfo-canary' },
                fraction: { numerator: 1, denominator: 3 },
              },
            },
          ],
        },
      ],
    ],
    // Session affinity: the weighted rule is the one whose canary backend sets the cookie.
    [
      'spec.rules',
      [
        {
          backendRefs: [
            { name: 'podinfo-primary', weight: 90 },
            {
              name: 'podinfo-canary',
              weight: 10,
              filters: [
                {
                  type: 'ResponseHeaderModifier',
                  responseHeaderModifier: {
                    add: [
                      {
                        name: 'Set-Cookie',
                        value: 'flagger-cookie=abc; Max-Age=21600',
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
        {
          backendRefs: [
            { name: 'podinfo-primary', weight: 100 },
            { name: 'podinfo-canary', weight: 0 },
          ],
        },
      ],
    ],
    // A/B: matching requests to the canary, the rest to the primary.
    [
      'spec.rules',
      [
        {
          matches: [
            { headers: [{ name: 'x-canary', value: 'insider' }] },
            {
              queryParams: [
                { type: 'RegularExpression', name: 'q', value: 'a.*' },
              ],
            },
          ],
          backendRefs: [{ name: 'podinfo-canary', weight: 100 }],
        },
        { backendRefs: [{ name: 'podinfo-primary', weight: 100 }] },
      ],
    ],
    ['spec.hostnames', 'x'],
    ['spec.hostnames', [5, 'app.example.com']],
    [
      'spec.parentRefs',
      [
        null,
        { name: 5 },
        { name: 'gw' },
        { name: 'gateway', namespace: 'istio-ingress', sectionName: 'https' },
      ],
    ],
    [
      'status.parents',
      [
        {
          parentRef: { name: 'gateway' },
          conditions: [
            {
              type: 'Accepted',
              status: 'False',
              reason: 'NotAllowedByListeners',
              message: 'no listener',
            },
          ],
        },
      ],
    ],
    {
      'metadata.generation': 5,
      'status.parents': [
        {
          parentRef: { name: 'gateway' },
          conditions: [
            { type: 'Accepted', status: 'True', observedGeneration: 4 },
          ],
        },
      ],
    },
    ['status.parents', 'x'],
    ['metadata.ownerReferences', 'x'],
  ],
  Deployment: [
    ['spec', 'x'],
    ['spec.template', 'x'],
    ['spec.template.spec', []],
    ['spec.template.spec.containers', 'x'],
    ['spec.template.spec.containers', [null, 'x', { image: 5 }, {}]],
    ['spec.template.metadata', 'x'],
    ['spec.template.metadata.labels', 'x'],
    ['spec.template.metadata.labels', ['app']],
    ['spec.template.metadata.labels', { app: 5 }],
    // What changed: compared fields, odd values and fields that are not compared.
    [
      'spec.template.spec.containers',
      [
        {
          name: 'podinfod',
          image: 'ghcr.io/stefanprodan/podinfo:9.9.9',
          command: ['./podinfo'],
          env: [
            { name: 'A', value: '1' },
            { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            'x',
          ],
          envFrom: [{ configMapRef: { name: 'podinfo-env' } }, 5],
          resources: { limits: { cpu: '1', memory: 5 }, requests: 'x' },
          livenessProbe: { httpGet: { port: 9898 } },
        },
      ],
    ],
    [
      'spec.template.spec.initContainers',
      [null, { name: 'init', image: 'busybox:1.36', args: ['x'] }],
    ],
    [
      'spec.template.spec.volumes',
      [
        { name: 'config', configMap: { name: 'podinfo-config-primary' } },
        'x',
        { secret: { secretName: 'podinfo-secret' } },
      ],
    ],
    ['spec.template.spec.volumes', 'x'],
    ['spec.template.spec.serviceAccountName', 5],
    ['spec.template.spec.affinity', { podAntiAffinity: {} }],
    [
      'spec.template.metadata.annotations',
      { 'flagger-id': 'x', 'example.com/a': 5 },
    ],
    ['spec.template.metadata.annotations', 'x'],
    ['spec.replicas', '2'],
    ['status', 'x'],
    ['status.readyReplicas', null],
    ['metadata.labels', 'x'],
  ],
  Flux: [
    ['spec', 5],
    ['spec.suspend', 'true'],
    ['spec.suspend', true],
    ['spec.sourceRef', 'x'],
    ['spec.sourceRef', { kind: 5, name: 'n' }],
    ['spec.sourceRef', null],
    ['spec.chartRef', { kind: 'OCIRepository', name: 'podinfo' }],
    ['spec.chart', 'x'],
    ['spec.chart.spec', 'x'],
    ['spec.chart.spec.sourceRef', { kind: 'HelmRepository' }],
    ['spec.url', 5],
    ['metadata.generation', '3'],
    ['metadata.generation', 99],
    ['status', 'x'],
    ['status', null],
    ['status.conditions', 'Ready'],
    ['status.conditions', {}],
    [
      'status.conditions',
      [
        null,
        'Ready',
        { type: 'Ready' },
        { type: 'Ready', status: 'Maybe' },
        { type: 'Healthy', status: 'False', message: 5 },
        { type: 'Stalled', status: 'True', message: 'stuck' },
      ],
    ],
    ['status.history', 'x'],
    ['status.history', [null, 'x', { status: 'deployed', chartVersion: 5 }]],
    ['status.artifact', 'x'],
    ['status.artifact', { revision: 5, lastUpdateTime: [] }],
    ['status.observedGeneration', 'x'],
    ['status.lastAttemptedRevision', 5],
    {
      'spec.chart': {
        spec: {
          chart: 'podinfo',
          sourceRef: {
            kind: 'HelmRepository',
            name: 'podinfo',
            namespace: 'flux-system',
          },
        },
      },
      'status.helmChart': 'flux-system/podinfo-podinfo',
    },
    ['status.helmChart', 'flux-system'],
    ['status.helmChart', 5],
    ['spec.type', 'oci'],
    { 'spec.type': 'oci', status: {} },
    [
      'status.lastAppliedOriginRevision',
      'main@sha1:8d6a0b3c9e1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b',
    ],
    [
      'status.artifact.metadata',
      { 'org.opencontainers.image.revision': '6.1.8/b3b00fe' },
    ],
    ['status.artifact.metadata', 'x'],
  ],
  VirtualService: [
    ['spec', 'x'],
    ['spec.http', 'x'],
    ['spec.http', {}],
    [
      'spec.http',
      [
        null,
        'x',
        { route: 'x' },
        {
          name: 5,
          match: 'x',
          route: [
            null,
            { destination: 'x' },
            { destination: { host: 5 } },
            { destination: { host: 'podinfo-primary' }, weight: '90' },
            { destination: { host: 'podinfo-canary', subset: 5 }, weight: 10 },
          ],
          mirror: 'x',
        },
        {
          route: [{ destination: { host: 'podinfo-canary.test.svc' } }],
          mirror: { host: 'podinfo-canary' },
          mirrorPercentage: 'x',
        },
        {
          name: 'ab',
          match: [{ headers: { x: { exact: 'y' } } }],
          route: [{ destination: { host: 'podinfo-canary' }, weight: 100 }],
          mirror: { host: 'podinfo-canary' },
          mirrorPercentage: { value: 50 },
        },
      ],
    ],
    // Session affinity: the weighted route is the one whose canary destination sets the cookie.
    [
      'spec.http',
      [
        {
          route: [
            { destination: { host: 'podinfo-primary' }, weight: 90 },
            {
              destination: { host: 'podinfo-canary' },
              weight: 10,
              headers: {
                response: { add: { 'Set-Cookie': 'flagger-cookie=abc' } },
              },
            },
          ],
        },
        { route: [{ destination: { host: 'podinfo-primary' }, weight: 100 }] },
      ],
    ],
    ['spec.tcp', 'x'],
    [
      'spec.tcp',
      [
        null,
        {
          match: [{ port: 9000 }],
          route: [
            { destination: { host: 'podinfo-primary' }, weight: 80 },
            { destination: { host: 'podinfo-canary' }, weight: 20 },
          ],
        },
      ],
    ],
    ['spec.hosts', 'x'],
    ['spec.hosts', [5, 'podinfo', null]],
    ['spec.gateways', { mesh: true }],
    ['metadata.ownerReferences', 5],
    ['metadata.ownerReferences', [null, 'x', { kind: 'Canary' }]],
  ],
  DestinationRule: [
    ['spec', 'x'],
    ['spec.host', 5],
    ['spec.trafficPolicy', 'x'],
    ['spec.trafficPolicy.tls', 5],
    ['spec.trafficPolicy.tls.mode', 'DISABLE'],
    ['spec.trafficPolicy.tls.mode', 'SIMPLE'],
    ['spec.trafficPolicy.tls.mode', 'ISTIO_MUTUAL'],
    ['metadata.ownerReferences', { kind: 'Canary', name: 'podinfo' }],
  ],
  PeerAuthentication: [
    ['spec', 'x'],
    ['spec.portLevelMtls', 'x'],
    [
      'spec.portLevelMtls',
      {
        9797: { mode: 'DISABLE' },
        8080: { mode: 'STRICT' },
        x: { mode: 'PERMISSIVE' },
      },
    ],
    {
      'spec.selector.matchLabels': { app: 'podinfo-primary' },
      'spec.portLevelMtls': { 9797: { mode: 'DISABLE' }, 9898: 'x' },
    },
    ['spec.selector', 'x'],
    ['spec.selector.matchLabels', ['app']],
    ['spec.selector.matchLabels', { app: 5 }],
    ['spec.selector.matchLabels', { app: 'podinfo-primary' }],
    ['spec.mtls', 'x'],
    ['spec.mtls.mode', 5],
    ['spec.mtls.mode', 'DISABLE'],
    ['metadata.creationTimestamp', 5],
  ],
  AuthorizationPolicy: [
    ['spec', null],
    ['spec.rules', {}],
    ['spec.rules', 'x'],
    ['spec.rules', [null, 'x']],
    ['spec.action', 5],
    ['spec.selector.matchLabels', 'x'],
  ],
  Sidecar: [
    ['spec.egress', 'x'],
    ['spec.egress', [null, 'x', { hosts: 'x' }, { hosts: [5, 'a/*'] }]],
    ['spec.workloadSelector', 'x'],
    ['spec.workloadSelector.labels', { app: 'podinfo' }],
    ['spec.outboundTrafficPolicy', 'x'],
    ['spec.outboundTrafficPolicy.mode', 5],
  ],
  Event: [
    ['message', 5],
    ['message', null],
    ['lastTimestamp', null],
    ['lastTimestamp', 5],
    ['eventTime', '2026-08-10T09:20:00Z'],
    {
      lastTimestamp: null,
      firstTimestamp: null,
      eventTime: '2026-08-10T09:20:00.123456Z',
    },
    { lastTimestamp: null, firstTimestamp: '2026-08-10T09:20:01Z' },
    {
      lastTimestamp: null,
      firstTimestamp: null,
      eventTime: null,
      'metadata.creationTimestamp': '2026-08-10T09:20:02Z',
    },
    ['count', '3'],
    ['type', 5],
    ['reason', {}],
    ['involvedObject.namespace', null],
    ['metadata.uid', 5],
  ],
};

/** Malformed variants of every object (or those `only` picks), each with a name of its own. */
function malformed(
  snapshot: ClusterSnapshot,
  only: (object: KubeObject) => boolean = () => true,
): ClusterSnapshot {
  const objects: KubeObject[] = [];
  for (const object of snapshot.objects) {
    objects.push(object);
    if (!only(object)) {
      continue;
    }
    const group = FLUX_KINDS.includes(object.kind ?? '')
      ? 'Flux'
      : object.kind ?? '';
    (MALFORMED[group] ?? []).forEach((change, i) => {
      objects.push(
        withValue(
          withChange(object, change),
          'metadata.name',
          `${object.metadata?.name}-odd${i}`,
        ),
      );
    });
  }
  const events = snapshot.events.flatMap(event => [
    event,
    ...MALFORMED.Event.map((change, i) => {
      const renamed = withValue(
        withValue(event, 'metadata.name', `${event.metadata?.name}-odd${i}`),
        'metadata.uid',
        `${event.metadata?.uid ?? event.metadata?.name}-odd${i}`,
      );
      return withChange(renamed, change);
    }),
  ]) as KubeEvent[];
  return { cluster: `${snapshot.cluster}/malformed`, objects, events };
}

// --- the simulator's scenarios --------------------------------------------------------------

function simSnapshots(sim: Simulator, label: string): ClusterSnapshot[] {
  return sim.clusters.map(({ name }) => {
    const { objects } = sim.cluster(name);
    const list = (apiVersion: string, kind: string) => {
      try {
        return objects.list(apiVersion, kind);
      } catch {
        return []; // a kind the simulator does not serve
      }
    };
    return clone({
      cluster: `${label}/${name}`,
      objects: WATCHED_KINDS.filter(k => k.kind !== 'Event').flatMap(k =>
        list(k.group ? `${k.group}/${k.version}` : k.version, k.kind),
      ) as KubeObject[],
      events: (list('v1', 'Event') as KubeEvent[]).filter(
        e => e.involvedObject?.kind === 'Canary',
      ),
    });
  });
}

/** Commits a new revision the way Flux applies one: a changed pod template. */
function newRevision(
  sim: Simulator,
  cluster: string,
  namespace: string,
  name: string,
  annotations: Record<string, string> = {},
) {
  sim.cluster(cluster).objects.patch('apps/v1', 'Deployment', namespace, name, {
    spec: {
      template: {
        metadata: {
          annotations: {
            'example.com/revision': String(sim.clock.now()),
            ...annotations,
          },
        },
      },
    },
  });
}

describe('projected objects give the same answers as full ones', () => {
  it('over the common fixtures', () => {
    expect(expectSameOutput(fixtureSnapshots())).toBeGreaterThan(100);
  });

  it('over the upstream fixtures', () => {
    const snapshots = upstreamSnapshots();
    expect(snapshots.length).toBeGreaterThan(15);
    const before = { ...changesSeen };
    expect(expectSameOutput(snapshots)).toBeGreaterThan(150);
    // What changed compared something: the e2e podinfo's image, the config-tracking
    // Deployment's configs (flagger-whatchanged-*.yaml).
    expect(changesSeen.containers).toBeGreaterThan(before.containers);
    expect(changesSeen.configs).toBeGreaterThan(before.configs);
  });

  it('over malformed variants of the upstream fixtures', () => {
    expect(
      expectSameOutput(upstreamSnapshots().map(s => malformed(s))),
    ).toBeGreaterThan(1000);
  });

  it('over malformed variants of the common fixtures', () => {
    expect(
      expectSameOutput(fixtureSnapshots().map(s => malformed(s))),
    ).toBeGreaterThan(1000);
  });

  it('over malformed objects that do not even have a name', () => {
    const odd: unknown[] = [
      { kind: 'Canary', metadata: 'x', spec: 5, status: null },
      { kind: 'Canary', metadata: [], spec: [], status: [] },
      { kind: 'Canary', metadata: { name: 5, namespace: {} } },
      { kind: 'Deployment', metadata: null, spec: { template: 'x' } },
      { kind: 'HelmRelease', status: { history: {}, conditions: 'Ready' } },
      { kind: 'VirtualService', spec: { http: [{ route: 5 }] } },
    ];
    for (const object of odd as KubeObject[]) {
      const projected = projectObject(object);
      expect(deriveObject('c', projected, [], [projected])).toStrictEqual(
        deriveObject('c', object, [], [object]),
      );
    }
  });

  describe('over the simulator', () => {
    let sim: Simulator;

    afterEach(async () => {
      await sim?.stop();
    });

    it('scale scenario', async () => {
      sim = await startSimulator({
        scenario: 'scale',
        clusters: 1,
        canaries: 12,
        port: 0,
        http: true,
        clock: 'virtual',
      });
      const snapshots = simSnapshots(sim, 'scale');
      expect(snapshots[0].objects.length).toBeGreaterThan(90);
      expectSameOutput(snapshots);
      // Variants of the first canaries' objects only: enough shapes, a test that stays quick.
      expectSameOutput(
        snapshots.map(s =>
          malformed(s, o => /^svc-0000[12]/.test(o.metadata?.name ?? '')),
        ),
      );
    });

    it('demo scenario, through rollouts that succeed, wait at gates and fail', async () => {
      sim = await startSimulator(DEMO_SIMULATOR);
      const snapshots = simSnapshots(sim, 'demo-0');
      expectSameOutput(snapshots);
      expectSameOutput(snapshots.map(s => malformed(s)));

      // New revisions everywhere; payments gets an unhealthy one and fails.
      for (const { cluster, objects } of snapshots) {
        const name = cluster.split('/')[1];
        for (const canary of objects.filter(o => o.kind === 'Canary')) {
          const target = (canary.spec as { targetRef: { name: string } })
            .targetRef.name;
          newRevision(
            sim,
            name,
            canary.metadata!.namespace!,
            target,
            canary.metadata!.name === 'payments'
              ? { 'simulator.progressive-delivery.io/success-rate': '50' }
              : {},
          );
        }
      }
      const phases = new Set<string>();
      for (let minute = 1; minute <= 24; minute++) {
        await sim.clock.advance(60_000);
        if (minute % 3 === 0) {
          const now = simSnapshots(sim, `demo-${minute}`);
          for (const { objects } of now) {
            objects
              .filter(o => o.kind === 'Canary')
              .forEach(c => phases.add((c.status as { phase: string }).phase));
          }
          expectSameOutput(now);
        }
      }
      // The snapshots caught rollouts on their way, not only settled canaries, and what they
      // changed, with links to compare the Git revisions.
      expect(phases.size).toBeGreaterThan(2);
      expect(changesSeen.podTemplate).toBeGreaterThan(0);
      expect(changesSeen.source).toBeGreaterThan(0);
      // About a minute on an idle 2-core machine, 85-100 s at a load average of 5-8 alone,
      // over 150 s beside the package's other suites at that load: room for a loaded one.
    }, 300_000);
  });
});
