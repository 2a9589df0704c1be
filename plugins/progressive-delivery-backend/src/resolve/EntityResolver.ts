import {
  asString,
  KUBERNETES_ID_LABEL,
  KubeEvent,
  KubeObject,
  readCanaryTargetRef,
  readPath,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  alertProviderRefs,
  metricTemplateRefs,
  NamespacedName,
} from './canaryReferences';
import { EntitySelection } from './entitySelection';
import { fluxOwnerOf, fluxSourcesOf } from './fluxLinks';
import { matchesSelector } from './labelSelector';
import {
  recordingEvents,
  recordingStore,
  ResolverEvents,
  ResolverStore,
} from './ObjectDependencies';

/** The workload kinds a canary can target (Flagger's deployment and daemonset controllers). */
const WORKLOAD_KINDS = ['Deployment', 'DaemonSet'];
/** Kinds an entity's annotations can select directly. */
const SEED_KINDS = [
  'Canary',
  ...WORKLOAD_KINDS,
  'Kustomization',
  'HelmRelease',
];

const isWorkload = (o: KubeObject) => WORKLOAD_KINDS.includes(o.kind ?? '');

/** A canary and the objects linked to it. */
export interface ResolvedCanary {
  canary: KubeObject;
  target?: KubeObject;
  primary?: KubeObject;
  fluxOwner?: KubeObject;
  /** Flagger's router object for provider istio. */
  virtualService?: KubeObject;
  /** Flagger's router objects for provider gatewayapi (one per canary, named after its apex). */
  httpRoutes: KubeObject[];
  destinationRules: KubeObject[];
  /** The MetricTemplates the canary's metric checks name (those that exist). */
  metricTemplates: KubeObject[];
  /** The AlertProviders the canary's alerts name (those that exist). */
  alertProviders: KubeObject[];
  peerAuthentications: KubeObject[];
  authorizationPolicies: KubeObject[];
  sidecars: KubeObject[];
  events: KubeEvent[];
}

/** Everything of an entity in one cluster. */
export interface ResolvedCluster {
  cluster: string;
  canaries: ResolvedCanary[];
  workloads: KubeObject[];
  /** Kustomizations and HelmReleases, then their sources. */
  flux: KubeObject[];
}

const keyOf = (o: KubeObject) =>
  `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

function addUnique(
  target: Map<string, KubeObject>,
  objects: Iterable<KubeObject | undefined>,
) {
  for (const object of objects) {
    if (object) {
      target.set(keyOf(object), object);
    }
  }
}

/**
 * Resolves a catalog entity to the objects of each cluster, from the in-memory store only:
 * annotations select seeds, then the real links are followed — Canary targetRef, Flux owner
 * labels, sourceRef, ownerReferences to Flagger's Istio objects, and the namespace's policies.
 */
export class EntityResolver {
  constructor(
    private readonly store: ResolverStore,
    private readonly events: ResolverEvents,
    private readonly istioRootNamespace: string,
  ) {}

  /**
   * {@link EntityResolver.resolve}, adding to `dependencies` what it read (see
   * ObjectDependencies): a change that matches none of them leaves the result as it is.
   */
  resolveRecording(
    selection: EntitySelection,
    cluster: string,
    dependencies: Set<string>,
  ): ResolvedCluster {
    return new EntityResolver(
      recordingStore(this.store, dependencies),
      recordingEvents(this.events, dependencies),
      this.istioRootNamespace,
    ).resolve(selection, cluster);
  }

  resolve(selection: EntitySelection, cluster: string): ResolvedCluster {
    const seeds = this.seeds(selection, cluster);
    const canaries = new Map<string, KubeObject>();
    addUnique(
      canaries,
      seeds.filter(o => o.kind === 'Canary'),
    );
    for (const ref of selection.canaries) {
      addUnique(canaries, [
        this.store.get(cluster, 'Canary', ref.namespace, ref.name),
      ]);
    }
    for (const workload of seeds.filter(isWorkload)) {
      addUnique(
        canaries,
        this.store.canariesTargeting(
          cluster,
          workload.metadata?.namespace ?? '',
          workload.kind ?? '',
          workload.metadata?.name ?? '',
        ),
      );
    }

    const workloads = new Map<string, KubeObject>();
    addUnique(workloads, seeds.filter(isWorkload));
    const fluxOwners = new Map<string, KubeObject>();
    addUnique(
      fluxOwners,
      seeds.filter(o => o.kind === 'Kustomization' || o.kind === 'HelmRelease'),
    );

    const resolvedCanaries: ResolvedCanary[] = [];
    for (const canary of canaries.values()) {
      const resolved = this.resolveCanary(cluster, canary);
      addUnique(workloads, [resolved.target, resolved.primary]);
      addUnique(fluxOwners, [resolved.fluxOwner]);
      resolvedCanaries.push(resolved);
    }
    for (const workload of workloads.values()) {
      addUnique(fluxOwners, [fluxOwnerOf(this.store, cluster, workload)]);
    }

    const sources = new Map<string, KubeObject>();
    for (const owner of fluxOwners.values()) {
      addUnique(sources, fluxSourcesOf(this.store, cluster, owner));
    }
    return {
      cluster,
      canaries: resolvedCanaries,
      workloads: [...workloads.values()],
      flux: [...fluxOwners.values(), ...sources.values()],
    };
  }

  /**
   * The `backstage.io/kubernetes-id` labels through which an entity can select a canary: the
   * canary's own and its target workload's (see {@link EntityResolver.resolve}).
   */
  kubernetesIdsOfCanary(
    cluster: string,
    namespace: string,
    name: string,
  ): string[] {
    const canary = this.store.get(cluster, 'Canary', namespace, name);
    const targetRef = readCanaryTargetRef(canary);
    const target =
      targetRef && WORKLOAD_KINDS.includes(targetRef.kind)
        ? this.store.get(cluster, targetRef.kind, namespace, targetRef.name)
        : undefined;
    return [canary, target]
      .map(o => o?.metadata?.labels?.[KUBERNETES_ID_LABEL])
      .filter((id): id is string => typeof id === 'string');
  }

  /** The canaries of the given cluster, with their links, for the fleet list. */
  resolveCanary(cluster: string, canary: KubeObject): ResolvedCanary {
    const namespace = canary.metadata?.namespace ?? '';
    const name = canary.metadata?.name ?? '';
    const targetRef = readCanaryTargetRef(canary);
    const target =
      targetRef &&
      this.store.get(cluster, targetRef.kind, namespace, targetRef.name);
    const primary =
      targetRef &&
      this.store.get(
        cluster,
        targetRef.kind,
        namespace,
        `${targetRef.name}-primary`,
      );
    const policies = (kind: string) => [
      ...this.store.list(cluster, kind, namespace),
      ...(namespace === this.istioRootNamespace
        ? []
        : this.store.list(cluster, kind, this.istioRootNamespace)),
    ];
    const existing = (kind: string, refs: NamespacedName[]) =>
      refs
        .map(ref => this.store.get(cluster, kind, ref.namespace, ref.name))
        .filter((o): o is KubeObject => o !== undefined);
    return {
      canary,
      target,
      primary,
      fluxOwner:
        fluxOwnerOf(this.store, cluster, canary) ??
        (target && fluxOwnerOf(this.store, cluster, target)),
      ...this.routerObjects(cluster, canary),
      metricTemplates: existing('MetricTemplate', metricTemplateRefs(canary)),
      alertProviders: existing('AlertProvider', alertProviderRefs(canary)),
      peerAuthentications: policies('PeerAuthentication'),
      authorizationPolicies: policies('AuthorizationPolicy'),
      sidecars: policies('Sidecar'),
      events: this.events.eventsFor(cluster, namespace, name),
    };
  }

  /**
   * What Flagger generated for the canary's traffic: the VirtualService and DestinationRules
   * (provider istio) or the HTTPRoute (provider gatewayapi), found through their owner
   * references to the canary, because Flagger strips Flux labels from what it generates; by
   * the names Flagger gives them (after the apex service) when it sets no owner references
   * (a mesh in another cluster: Flagger v1.44 cmd/flagger/main.go setOwnerRefs).
   */
  private routerObjects(
    cluster: string,
    canary: KubeObject,
  ): Pick<
    ResolvedCanary,
    'virtualService' | 'httpRoutes' | 'destinationRules'
  > {
    const namespace = canary.metadata?.namespace ?? '';
    const name = canary.metadata?.name ?? '';
    const owned = this.store.byOwner(cluster, namespace, 'Canary', name);
    const apex =
      asString(readPath(canary.spec, 'service', 'name')) ??
      readCanaryTargetRef(canary)?.name ??
      name;
    const named = (kind: string, names: string[]) =>
      names
        .map(n => this.store.get(cluster, kind, namespace, n))
        .filter((o): o is KubeObject => o !== undefined);
    const ownedOrNamed = (kind: string, names: string[]) => {
      const found = owned.filter(o => o.kind === kind);
      return found.length > 0 ? found : named(kind, names);
    };
    return {
      virtualService: ownedOrNamed('VirtualService', [apex])[0],
      httpRoutes: ownedOrNamed('HTTPRoute', [apex]),
      destinationRules: ownedOrNamed('DestinationRule', [
        `${apex}-primary`,
        `${apex}-canary`,
      ]),
    };
  }

  private seeds(selection: EntitySelection, cluster: string): KubeObject[] {
    const inNamespace = (o: KubeObject) =>
      !selection.namespace || o.metadata?.namespace === selection.namespace;
    const seeds = new Map<string, KubeObject>();
    if (selection.kubernetesId) {
      addUnique(
        seeds,
        this.store
          .byLabel(cluster, KUBERNETES_ID_LABEL, selection.kubernetesId)
          .filter(o => SEED_KINDS.includes(o.kind ?? '') && inNamespace(o)),
      );
    }
    const terms = selection.labelSelector;
    if (terms && terms.length > 0) {
      // Narrow with an equality term's index when there is one.
      const equality = terms.find(t => t.op === 'eq');
      const candidates =
        equality && equality.op === 'eq'
          ? this.store.byLabel(cluster, equality.key, equality.value)
          : SEED_KINDS.flatMap(kind =>
              this.store.list(cluster, kind, selection.namespace),
            );
      addUnique(
        seeds,
        candidates.filter(
          o =>
            SEED_KINDS.includes(o.kind ?? '') &&
            inNamespace(o) &&
            matchesSelector(terms, o.metadata?.labels),
        ),
      );
    }
    return [...seeds.values()];
  }
}
