// The places a pod spec names a ConfigMap or Secret, exactly those Flagger's config tracker
// scans and renames (fluxcd/flagger pkg/canary/config_tracker.go GetTargetConfigs and
// ApplyPrimaryConfigs @ v1.44.0): volumes (configMap, secret, projected sources) and, in
// containers and init containers, env valueFrom configMapKeyRef / secretKeyRef and envFrom
// configMapRef / secretRef. Image pull secrets are not tracked (registry secrets are ignored).
import { UnknownRecord, asArray, asRecord, asString } from '../read';

/** Flagger's config types, as they prefix `status.trackedConfigs` keys. */
export type ConfigType = 'configmap' | 'secret';

/** One reference: the record holding the name and the key of the name in it. */
export interface ConfigRefSite {
  type: ConfigType;
  holder: UnknownRecord;
  key: string;
}

function records(value: unknown): UnknownRecord[] {
  return (asArray(value) ?? [])
    .map(asRecord)
    .filter((r): r is UnknownRecord => r !== undefined);
}

function site(type: ConfigType, holder: unknown, key: string): ConfigRefSite[] {
  const record = asRecord(holder);
  return record && asString(record[key]) !== undefined
    ? [{ type, holder: record, key }]
    : [];
}

function volumeSites(volume: UnknownRecord): ConfigRefSite[] {
  const projected = records(asRecord(volume.projected)?.sources);
  return [
    ...site('configmap', volume.configMap, 'name'),
    ...site('secret', volume.secret, 'secretName'),
    ...projected.flatMap(source => [
      ...site('configmap', source.configMap, 'name'),
      ...site('secret', source.secret, 'name'),
    ]),
  ];
}

function containerSites(container: UnknownRecord): ConfigRefSite[] {
  const env = records(container.env).flatMap(variable => {
    const from = asRecord(variable.valueFrom);
    // Flagger's switch: a configMapKeyRef wins over a secretKeyRef in the same valueFrom.
    const configMap = site('configmap', from?.configMapKeyRef, 'name');
    return configMap.length > 0
      ? configMap
      : site('secret', from?.secretKeyRef, 'name');
  });
  const envFrom = records(container.envFrom).flatMap(source => {
    const configMap = site('configmap', source.configMapRef, 'name');
    return configMap.length > 0
      ? configMap
      : site('secret', source.secretRef, 'name');
  });
  return [...env, ...envFrom];
}

/** Every ConfigMap / Secret reference of a pod spec, in spec order. */
export function configRefSites(podSpec: unknown): ConfigRefSite[] {
  const spec = asRecord(podSpec);
  if (!spec) {
    return [];
  }
  return [
    ...records(spec.volumes).flatMap(volumeSites),
    ...records(spec.containers).flatMap(containerSites),
    ...records(spec.initContainers).flatMap(containerSites),
  ];
}

/** `configmap/<name>` / `secret/<name>`, Flagger's ConfigRef.GetName(). */
export function configKey(type: ConfigType, name: string): string {
  return `${type}/${name}`;
}

/** The `configmap/<name>` / `secret/<name>` keys a pod spec references. */
export function referencedConfigKeys(podSpec: unknown): Set<string> {
  return new Set(
    configRefSites(podSpec).map(s =>
      configKey(s.type, asString(s.holder[s.key]) ?? ''),
    ),
  );
}
