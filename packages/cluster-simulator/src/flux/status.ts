import crypto from 'node:crypto';
import { Condition, KubeObject } from '../types';
import { isoTime } from '../util/time';

/**
 * Status blocks as Flux controllers write them (fluxcd/source-controller
 * v1.9, kustomize-controller v1.9, helm-controller v1.6; see the shared
 * reference examples for the captured shapes).
 */

export function sha1Hex(seed: string): string {
  return crypto.createHash('sha1').update(seed).digest('hex');
}

export function sha256Hex(seed: string): string {
  return crypto.createHash('sha256').update(seed).digest('hex');
}

/**
 * Sets a condition, keeping lastTransitionTime when the status did not
 * change (as fluxcd/pkg runtime/conditions does).
 */
export function setCondition(
  conditions: Condition[],
  next: Omit<Condition, 'lastTransitionTime'>,
  now: number,
): Condition[] {
  const existing = conditions.find(c => c.type === next.type);
  const updated: Condition = {
    ...next,
    lastTransitionTime:
      existing && existing.status === next.status && existing.lastTransitionTime
        ? existing.lastTransitionTime
        : isoTime(now),
  };
  const others = conditions.filter(c => c.type !== next.type);
  // Ready first, as kstatus-aware tools expect; the rest keep their order.
  return next.type === 'Ready' ? [updated, ...others] : [...others, updated];
}

/** A condition without its transition time (setCondition fills it in). */
export function condition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  observedGeneration?: number,
): Omit<Condition, 'lastTransitionTime'> {
  return { type, status, reason, message, observedGeneration };
}

/** Ready and ArtifactInStorage of a source that stored `revision`. */
export function sourceReadyConditions(
  conditions: Condition[],
  kind: string,
  revision: string,
  generation: number | undefined,
  now: number,
): Condition[] {
  const message = sourceReadyMessage(kind, revision);
  let result = removeCondition(conditions, 'FetchFailed');
  for (const type of ['Ready', 'ArtifactInStorage']) {
    result = setCondition(
      result,
      condition(type, 'True', 'Succeeded', message, generation),
      now,
    );
  }
  return result;
}

/** Ready (and Healthy, with health checks) of a Kustomization that applied `revision`. */
export function appliedConditions(
  conditions: Condition[],
  revision: string,
  healthCheckDuration: string | undefined,
  generation: number | undefined,
  now: number,
): Condition[] {
  let result = removeCondition(conditions, 'Reconciling');
  result = setCondition(
    result,
    condition(
      'Ready',
      'True',
      'ReconciliationSucceeded',
      `Applied revision: ${revision}`,
      generation,
    ),
    now,
  );
  if (healthCheckDuration === undefined)
    return removeCondition(result, 'Healthy');
  return setCondition(
    result,
    condition(
      'Healthy',
      'True',
      'Succeeded',
      `Health check passed in ${healthCheckDuration}`,
      generation,
    ),
    now,
  );
}

export function removeCondition(
  conditions: Condition[],
  type: string,
): Condition[] {
  return conditions.filter(c => c.type !== type);
}

export interface Artifact {
  digest: string;
  lastUpdateTime: string;
  path: string;
  revision: string;
  size: number;
  url: string;
  metadata?: Record<string, string>;
}

export function sourceArtifact(
  source: KubeObject,
  revision: string,
  now: number,
  kindPath: string,
): Artifact {
  const { namespace, name } = source.metadata;
  const digest = sha256Hex(`${namespace}/${name}/${revision}`);
  const file =
    kindPath === 'helmrepository' ? `index-${digest}.yaml` : `${digest}.tar.gz`;
  const path = `${kindPath}/${namespace}/${name}/${file}`;
  return {
    digest: `sha256:${digest}`,
    lastUpdateTime: isoTime(now),
    path,
    revision,
    size: 4096 + (parseInt(digest.slice(0, 4), 16) % 60000),
    url: `http://source-controller.flux-system.svc.cluster.local./${path}`,
  };
}

/** The Ready message of a source for an artifact revision. */
export function sourceReadyMessage(kind: string, revision: string): string {
  switch (kind) {
    case 'OCIRepository':
      return `stored artifact for digest '${revision}'`;
    case 'HelmRepository':
      return `stored artifact: revision '${revision}'`;
    default:
      return `stored artifact for revision '${revision}'`;
  }
}

/** Kustomization inventory entry id: `<namespace>_<name>_<group>_<kind>`. */
export function inventoryEntry(obj: KubeObject): { id: string; v: string } {
  const [group, version] = obj.apiVersion.includes('/')
    ? obj.apiVersion.split('/')
    : ['', obj.apiVersion];
  return {
    id: `${obj.metadata.namespace ?? ''}_${obj.metadata.name}_${group}_${
      obj.kind
    }`,
    v: version,
  };
}
