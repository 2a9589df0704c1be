// A container's `env` and `envFrom`, read as references: a secretKeyRef is the Secret's name
// and key, never a value (this code never sees one: a pod template holds none).
import { EnvFromChange, EnvVarChange, EnvVarValue } from '../../apiWhatChanged';
import { UnknownRecord, asArray, asBoolean, asRecord, asString } from '../read';
import { quantityText } from './quantity';
import { sameValue, stableJson } from './values';

function keyRef(
  source: 'configMapKeyRef' | 'secretKeyRef',
  ref: UnknownRecord,
): EnvVarValue {
  const optional = asBoolean(ref.optional);
  return {
    source,
    name: asString(ref.name) ?? '',
    key: asString(ref.key) ?? '',
    ...(optional !== undefined ? { optional } : {}),
  };
}

function resourceFieldRef(ref: UnknownRecord): EnvVarValue {
  const containerName = asString(ref.containerName);
  const divisor = quantityText(ref.divisor);
  return {
    source: 'resourceFieldRef',
    resource: asString(ref.resource) ?? '',
    ...(containerName ? { containerName } : {}),
    ...(divisor !== undefined ? { divisor } : {}),
  };
}

/** Where one `env` entry's value comes from. */
export function readEnvValue(variable: UnknownRecord): EnvVarValue {
  const from = asRecord(variable.valueFrom);
  if (!from) {
    const value = variable.value;
    return {
      source: 'value',
      value:
        typeof value === 'string' || typeof value === 'number'
          ? String(value)
          : '',
    };
  }
  const configMap = asRecord(from.configMapKeyRef);
  const secret = asRecord(from.secretKeyRef);
  const field = asRecord(from.fieldRef);
  const resource = asRecord(from.resourceFieldRef);
  if (configMap) {
    return keyRef('configMapKeyRef', configMap);
  }
  if (secret) {
    return keyRef('secretKeyRef', secret);
  }
  if (field) {
    return { source: 'fieldRef', fieldPath: asString(field.fieldPath) ?? '' };
  }
  if (resource) {
    return resourceFieldRef(resource);
  }
  return { source: 'other', kinds: Object.keys(from).sort() };
}

function records(value: unknown): UnknownRecord[] {
  return (asArray(value) ?? [])
    .map(asRecord)
    .filter((r): r is UnknownRecord => r !== undefined);
}

/** name -> value; a later duplicate wins, as in the kubelet. */
function envMap(container: UnknownRecord): Map<string, EnvVarValue> {
  const map = new Map<string, EnvVarValue>();
  for (const variable of records(container.env)) {
    const name = asString(variable.name);
    if (name !== undefined) {
      map.set(name, readEnvValue(variable));
    }
  }
  return map;
}

/** The `env` changes, in the target's order, then the removed ones in the primary's. */
export function envChanges(
  from: UnknownRecord,
  to: UnknownRecord,
): EnvVarChange[] {
  const before = envMap(from);
  const after = envMap(to);
  const changes: EnvVarChange[] = [];
  for (const [name, value] of after) {
    const old = before.get(name);
    if (!old) {
      changes.push({ name, change: 'added', to: value });
    } else if (!sameValue(old, value)) {
      changes.push({ name, change: 'changed', from: old, to: value });
    }
  }
  for (const [name, value] of before) {
    if (!after.has(name)) {
      changes.push({ name, change: 'removed', from: value });
    }
  }
  return changes;
}

type EnvFromSource = Omit<EnvFromChange, 'change'>;

function readEnvFrom(source: UnknownRecord): EnvFromSource {
  const configMap = asRecord(source.configMapRef);
  const secret = asRecord(source.secretRef);
  const ref = configMap ?? secret;
  const prefix = asString(source.prefix);
  const optional = asBoolean(ref?.optional);
  let kind: EnvFromSource['kind'] = 'unknown';
  if (configMap) {
    kind = 'ConfigMap';
  } else if (secret) {
    kind = 'Secret';
  }
  return {
    kind,
    name: asString(ref?.name) ?? '',
    ...(prefix ? { prefix } : {}),
    ...(optional !== undefined ? { optional } : {}),
  };
}

/** The `envFrom` sources added (target order), then removed (primary order). */
export function envFromChanges(
  from: UnknownRecord,
  to: UnknownRecord,
): EnvFromChange[] {
  const before = records(from.envFrom).map(readEnvFrom);
  const after = records(to.envFrom).map(readEnvFrom);
  const beforeKeys = new Set(before.map(stableJson));
  const afterKeys = new Set(after.map(stableJson));
  return [
    ...after
      .filter(s => !beforeKeys.has(stableJson(s)))
      .map(s => ({ change: 'added' as const, ...s })),
    ...before
      .filter(s => !afterKeys.has(stableJson(s)))
      .map(s => ({ change: 'removed' as const, ...s })),
  ];
}
