import { computeSpecHash } from '../util/hash';
import { ObjectStore } from '../api/ObjectStore';
import {
  Canary,
  CanaryStatus,
  generatedDestinationRules,
  generatedServices,
  generatedVirtualService,
  primaryDeployment,
} from '../flagger/model';
import {
  GATEWAY_API_GROUP,
  generatedHTTPRoute,
} from '../flagger/router/httpRoute';
import { gatewayApiVersion } from '../flagger/router/RouterFactory';
import { syncPrimaryConfigs, trackedConfigs } from '../flagger/configTracker';
import { appliedConditions } from '../flux/kustomize/conditions';
import { inventoryEntry } from '../flux/kustomize/inventory';
import {
  sourceArtifact,
  sourceReadyConditions,
} from '../flux/sources/artifacts';
import { KubeObject } from '../types';
import { isoTime } from '../util/time';
import {
  AppOptions,
  CanaryOptions,
  appConfigMap,
  appDeployment,
  canary as canaryObject,
  horizontalPodAutoscaler,
  istioPlatform,
  namespace,
} from './builders';
import { kustomizeOwnerLabels } from '../flux/kustomize/ownerLabels';

/**
 * Puts objects into the state the controllers leave them in after a quiet
 * period, so a scenario starts from a settled platform (and the scale
 * scenario starts in seconds without running every controller first).
 */

type Owner = { name: string; namespace: string };

/** `obj` with `labels` added to its own. */
export function withLabels(
  obj: KubeObject,
  labels: Record<string, string>,
): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...(obj.metadata.labels ?? {}), ...labels },
    },
  };
}

/** The status Flagger leaves after a promotion (or after initialisation). */
export function settledCanaryStatus(
  target: KubeObject,
  now: number,
): CanaryStatus {
  const hash = computeSpecHash((target.spec as { template: unknown }).template);
  return {
    phase: 'Succeeded',
    canaryWeight: 0,
    failedChecks: 0,
    iterations: 0,
    lastAppliedSpec: hash,
    lastPromotedSpec: hash,
    lastTransitionTime: isoTime(now),
    conditions: [
      {
        type: 'Promoted',
        status: 'True',
        lastUpdateTime: isoTime(now),
        lastTransitionTime: isoTime(now),
        reason: 'Succeeded',
        message: 'Canary analysis completed successfully, promotion finished.',
      },
    ],
  };
}

export interface CanaryAppOptions extends AppOptions {
  canary: Omit<CanaryOptions, 'namespace' | 'name' | 'kubernetesId' | 'port'>;
  /** The Kustomization that applies the app (owner labels). */
  owner?: Owner;
  hpa?: boolean;
}

/** The manifests of an app as they sit in Git (what Flux applies). */
export function appManifests(o: CanaryAppOptions): KubeObject[] {
  const manifests: KubeObject[] = [
    ...(o.config ? [appConfigMap(o)] : []),
    appDeployment(o),
    canaryObject({
      ...o.canary,
      namespace: o.namespace,
      name: o.name,
      kubernetesId: o.kubernetesId,
      port: o.port,
    }),
  ];
  if (o.hpa)
    manifests.push(
      horizontalPodAutoscaler(o.namespace, o.name, o.kubernetesId),
    );
  return manifests;
}

/**
 * Creates an app as Flux applied it and Flagger promoted it: target scaled
 * to zero, `<name>-primary` serving, generated services, router objects at
 * 100/0 (VirtualService and DestinationRules, or the HTTPRoute), Canary Succeeded.
 */
export function installSettledApp(
  store: ObjectStore,
  manifests: KubeObject[],
  owner: Owner | undefined,
  now: number,
  primaryReplicas = 1,
): void {
  const labels = owner ? kustomizeOwnerLabels(owner.name, owner.namespace) : {};
  const canary = manifests.find(m => m.kind === 'Canary') as Canary | undefined;
  const deployment = canary
    ? manifests.find(
        m =>
          m.kind === 'Deployment' &&
          m.metadata.name === canary.spec.targetRef.name,
      )
    : undefined;
  for (const m of manifests) {
    if (m === deployment || m === canary) continue;
    store.upsert(withLabels(m, labels), true);
  }
  if (!deployment || !canary) return;
  const target = withLabels(deployment, labels);
  const created = store.upsert(withLabels(canary, labels), true) as Canary;
  const primary = primaryDeployment(created, target, primaryReplicas);
  syncPrimaryConfigs(store, created, primary);
  store.upsert(primary, true);
  // Flagger scales the target to zero once the primary serves.
  store.upsert(
    { ...target, spec: { ...(target.spec as object), replicas: 0 } },
    true,
  );
  for (const obj of [
    ...generatedServices(created),
    ...settledRouting(created),
  ]) {
    store.upsert(obj, true);
  }
  store.mutate(
    created.apiVersion,
    'Canary',
    created.metadata.namespace,
    created.metadata.name,
    c => {
      const status = settledCanaryStatus(target, now);
      const template = (target.spec as { template?: unknown }).template;
      const configs = trackedConfigs(
        store,
        created.metadata.namespace ?? '',
        template,
      );
      c.status = configs ? { ...status, trackedConfigs: configs } : status;
    },
  );
}

/** The router objects at 100/0: the HTTPRoute for Gateway API, else Istio's. */
function settledRouting(cd: Canary): KubeObject[] {
  const version = gatewayApiVersion(cd.spec.provider);
  if (version) {
    return [generatedHTTPRoute(cd, `${GATEWAY_API_GROUP}/${version}`)];
  }
  return [
    ...generatedDestinationRules(cd),
    generatedVirtualService(cd, 100, 0),
  ];
}

/** A Flux source with a stored artifact for `revision`. */
export function readySource(
  source: KubeObject,
  revision: string,
  now: number,
): KubeObject {
  const conditions = sourceReadyConditions([], source.kind, revision, 1, now);
  return {
    ...source,
    status: {
      observedGeneration: 1,
      artifact: sourceArtifact(source, revision, now),
      conditions,
    },
  };
}

/** A Kustomization that applied `revision` (Healthy only with health checks). */
export function readyKustomization(
  kustomization: KubeObject,
  revision: string,
  applied: KubeObject[],
  now: number,
): KubeObject {
  const spec = kustomization.spec as {
    healthChecks?: unknown[];
    wait?: boolean;
  };
  const checked = (spec.healthChecks?.length ?? 0) > 0 || spec.wait;
  const conditions = appliedConditions(
    [],
    revision,
    checked ? '2.5089655s' : undefined,
    1,
    now,
  );
  return {
    ...kustomization,
    status: {
      observedGeneration: 1,
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
      conditions,
      inventory: { entries: applied.map(inventoryEntry) },
    },
  };
}

/** What a cluster's bootstrap leaves: flux-system, istio-system's platform objects, then `extra`. */
export function installBootstrap(
  store: ObjectStore,
  domain: string,
  extra: KubeObject[] = [],
): void {
  for (const obj of [
    namespace('flux-system'),
    ...istioPlatform(domain),
    ...extra,
  ]) {
    store.upsert(obj);
  }
}

/** A source and its Kustomization as they stand once `revision` is applied. */
export function installSynced(
  store: ObjectStore,
  sync: {
    source?: KubeObject;
    kustomization?: KubeObject;
    revision: string;
    applied: KubeObject[];
  },
  now: number,
  adopt = false,
): void {
  const { source, kustomization: ks, revision, applied } = sync;
  if (source) store.upsert(readySource(source, revision, now), adopt);
  if (ks) store.upsert(readyKustomization(ks, revision, applied, now), adopt);
}
