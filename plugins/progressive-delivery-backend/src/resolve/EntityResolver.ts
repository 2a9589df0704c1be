import {
  asString,
  FLUX_OWNER_LABELS,
  fluxSourceRef,
  KUBERNETES_ID_LABEL,
  KubeEvent,
  KubeObject,
  readCanaryTargetRef,
  readPath,
} from '@internal/plugin-progressive-delivery-common';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { EntitySelection } from './entitySelection';
import { matchesSelector } from './labelSelector';

/** Kinds an entity's annotations can select directly. */
const SEED_KINDS = ['Canary', 'Deployment', 'Kustomization', 'HelmRelease'];
const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository'];

/** A canary and the objects linked to it. */
export interface ResolvedCanary {
  canary: KubeObject;
  target?: KubeObject;
  primary?: KubeObject;
  fluxOwner?: KubeObject;
  virtualService?: KubeObject;
  destinationRules: KubeObject[];
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
    private readonly store: ObjectStore,
    private readonly events: EventHistory,
    private readonly istioRootNamespace: string,
  ) {}

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
    for (const deployment of seeds.filter(o => o.kind === 'Deployment')) {
      const namespace = deployment.metadata?.namespace ?? '';
      const name = deployment.metadata?.name ?? '';
      addUnique(
        canaries,
        this.store.canariesTargeting(cluster, namespace, 'Deployment', name),
      );
    }

    const workloads = new Map<string, KubeObject>();
    addUnique(
      workloads,
      seeds.filter(o => o.kind === 'Deployment'),
    );
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
      addUnique(fluxOwners, [this.fluxOwnerOf(cluster, workload)]);
    }

    const sources = new Map<string, KubeObject>();
    for (const owner of fluxOwners.values()) {
      addUnique(sources, [this.sourceOf(cluster, owner)]);
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
   * canary's own and its target Deployment's (see {@link EntityResolver.resolve}).
   */
  kubernetesIdsOfCanary(
    cluster: string,
    namespace: string,
    name: string,
  ): string[] {
    const canary = this.store.get(cluster, 'Canary', namespace, name);
    const targetRef = readCanaryTargetRef(canary);
    const target =
      targetRef?.kind === 'Deployment'
        ? this.store.get(cluster, 'Deployment', namespace, targetRef.name)
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
    const targetName = targetRef?.name;
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
    // Flagger strips Flux labels from what it generates, so follow its owner references.
    const owned = this.store.byOwner(cluster, namespace, 'Canary', name);
    const apex =
      asString(readPath(canary.spec, 'service', 'name')) ?? targetName ?? name;
    const virtualService =
      owned.find(o => o.kind === 'VirtualService') ??
      this.store.get(cluster, 'VirtualService', namespace, apex);
    let destinationRules = owned.filter(o => o.kind === 'DestinationRule');
    if (destinationRules.length === 0) {
      destinationRules = [`${apex}-primary`, `${apex}-canary`]
        .map(n => this.store.get(cluster, 'DestinationRule', namespace, n))
        .filter((o): o is KubeObject => o !== undefined);
    }
    const policies = (kind: string) => [
      ...this.store.list(cluster, kind, namespace),
      ...(namespace === this.istioRootNamespace
        ? []
        : this.store.list(cluster, kind, this.istioRootNamespace)),
    ];
    return {
      canary,
      target,
      primary,
      fluxOwner:
        this.fluxOwnerOf(cluster, canary) ??
        (target && this.fluxOwnerOf(cluster, target)),
      virtualService,
      destinationRules,
      peerAuthentications: policies('PeerAuthentication'),
      authorizationPolicies: policies('AuthorizationPolicy'),
      sidecars: policies('Sidecar'),
      events: this.events.eventsFor(cluster, namespace, name),
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

  private fluxOwnerOf(
    cluster: string,
    object: KubeObject,
  ): KubeObject | undefined {
    const labels = object.metadata?.labels ?? {};
    const kustomization = labels[FLUX_OWNER_LABELS.kustomizationName];
    const helmRelease = labels[FLUX_OWNER_LABELS.helmReleaseName];
    if (helmRelease) {
      const namespace = labels[FLUX_OWNER_LABELS.helmReleaseNamespace] ?? '';
      return this.store.get(cluster, 'HelmRelease', namespace, helmRelease);
    }
    if (kustomization) {
      const namespace = labels[FLUX_OWNER_LABELS.kustomizationNamespace] ?? '';
      return this.store.get(cluster, 'Kustomization', namespace, kustomization);
    }
    return undefined;
  }

  private sourceOf(cluster: string, owner: KubeObject): KubeObject | undefined {
    const ref = fluxSourceRef(owner);
    return ref && SOURCE_KINDS.includes(ref.kind)
      ? this.store.get(cluster, ref.kind, ref.namespace, ref.name)
      : undefined;
  }
}
