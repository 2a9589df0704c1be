import crypto from 'node:crypto';
import { ObjectStore } from '../api/ObjectStore';
import { KubeObject } from '../types';
import { Canary, controllerRef } from './model';

/**
 * Flagger's config tracking (pkg/canary/config_tracker.go): ConfigMaps and
 * Secrets a target's pod template uses are checksummed into
 * status.trackedConfigs (a change starts a new analysis) and copied to
 * `<name>-primary` for the primary Deployment, whose template refers to
 * the copies.
 */

type Kind = 'configmap' | 'secret';
type Json = Record<string, unknown>;

/** Visits every ConfigMap/Secret reference in a pod template. */
function visitRefs(
  template: unknown,
  visit: (kind: Kind, holder: Json, key: string) => void,
) {
  const spec = ((template as Json)?.spec ?? {}) as Json;
  for (const volume of (spec.volumes as Json[] | undefined) ?? []) {
    if (volume.configMap) visit('configmap', volume.configMap as Json, 'name');
    if (volume.secret) visit('secret', volume.secret as Json, 'secretName');
    const sources =
      ((volume.projected as Json | undefined)?.sources as Json[] | undefined) ??
      [];
    for (const source of sources) {
      if (source.configMap)
        visit('configmap', source.configMap as Json, 'name');
      if (source.secret) visit('secret', source.secret as Json, 'name');
    }
  }
  const containers = [
    ...((spec.containers as Json[] | undefined) ?? []),
    ...((spec.initContainers as Json[] | undefined) ?? []),
  ];
  for (const c of containers) {
    for (const from of (c.envFrom as Json[] | undefined) ?? []) {
      if (from.configMapRef)
        visit('configmap', from.configMapRef as Json, 'name');
      if (from.secretRef) visit('secret', from.secretRef as Json, 'name');
    }
    for (const env of (c.env as Json[] | undefined) ?? []) {
      const valueFrom = env.valueFrom as Json | undefined;
      if (valueFrom?.configMapKeyRef)
        visit('configmap', valueFrom.configMapKeyRef as Json, 'name');
      if (valueFrom?.secretKeyRef)
        visit('secret', valueFrom.secretKeyRef as Json, 'name');
    }
  }
}

function lookup(
  store: ObjectStore,
  kind: Kind,
  namespace: string,
  name: string,
) {
  return store.getByKind(
    'v1',
    kind === 'configmap' ? 'ConfigMap' : 'Secret',
    namespace,
    name,
  );
}

/** First 8 bytes of the SHA-256 of the data, in hex. */
function checksum(obj: KubeObject): string {
  const data = { data: obj.data ?? {}, binaryData: obj.binaryData ?? {} };
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(data))
    .digest('hex')
    .slice(0, 16);
}

/** `configmap/<name>` / `secret/<name>` -> checksum, for the configs that exist. */
export function trackedConfigs(
  store: ObjectStore,
  namespace: string,
  template: unknown,
): Record<string, string> | undefined {
  const tracked: Record<string, string> = {};
  visitRefs(template, (kind, holder, key) => {
    const name = String(holder[key] ?? '');
    const obj = lookup(store, kind, namespace, name);
    if (obj) tracked[`${kind}/${name}`] = checksum(obj);
  });
  return Object.keys(tracked).length > 0 ? tracked : undefined;
}

/**
 * Copies the tracked configs to `<name>-primary` (owned by the canary) and
 * points the primary's pod template at the copies.
 */
export function syncPrimaryConfigs(
  store: ObjectStore,
  canary: Canary,
  primary: KubeObject,
): void {
  const ns = canary.metadata.namespace ?? '';
  const template = (primary.spec as Json).template;
  visitRefs(template, (kind, holder, key) => {
    const name = String(holder[key] ?? '');
    const source = lookup(store, kind, ns, name.replace(/-primary$/, ''));
    if (!source) return;
    const sourceName = source.metadata.name;
    const copy: KubeObject = {
      apiVersion: 'v1',
      kind: source.kind,
      metadata: {
        name: `${sourceName}-primary`,
        namespace: ns,
        labels: source.metadata.labels,
        ownerReferences: [controllerRef(canary)],
      },
      ...(source.data ? { data: source.data } : {}),
      ...(source.binaryData ? { binaryData: source.binaryData } : {}),
      ...(source.type ? { type: source.type } : {}),
    };
    store.upsert(copy, true);
    holder[key] = `${sourceName}-primary`;
  });
}
