import crypto from 'node:crypto';
import { Condition, KubeObject } from '../types';

/**
 * Status blocks as Flux controllers write them (fluxcd/source-controller
 * v1.9, kustomize-controller v1.9, helm-controller v1.6; see the shared
 * reference examples for the captured shapes).
 */

export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

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

/** Go's time.Duration String for whole and fractional seconds, e.g. 2.5089655s, 1m0s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds - h * 3600 - m * 60;
  const sText = `${Number(s.toFixed(9))}s`;
  if (h > 0) return `${h}h${m}m${sText}`;
  if (m > 0) return `${m}m${sText}`;
  return sText;
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60000,
  h: 3600000,
};

/** Parses Go/Kubernetes durations like `1m`, `30s`, `1h30m`, `500ms`. */
export function parseDuration(
  text: string | undefined,
  fallbackMs: number,
): number {
  if (!text) return fallbackMs;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0) return fallbackMs;
  return parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]], 0);
}
