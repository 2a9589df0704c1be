// Comparing and showing untyped Kubernetes values: JSON with sorted keys, so two objects that
// differ only in key order are equal and a rendered value is the same on every run.
import { FieldChange } from '../../apiWhatChanged';
import { UnknownRecord, isRecord } from '../read';

/** Compact JSON with object keys sorted. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value
      .map(v => stableJson(v === undefined ? null : v))
      .join(',')}]`;
  }
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .filter(key => value[key] !== undefined)
      .sort()
      .map(key => `${JSON.stringify(key)}:${stableJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether two JSON values are equal, ignoring object key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

/** A value as text: a string as is, anything else as {@link stableJson}. */
export function showValue(value: unknown): string {
  return typeof value === 'string' ? value : stableJson(value);
}

/** A deep copy of a JSON value (objects from a cluster are plain JSON). */
export function copyJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/** The change of one field, or undefined when both sides are equal. */
export function fieldChange(
  field: string,
  from: unknown,
  to: unknown,
): FieldChange | undefined {
  if (from === undefined && to === undefined) {
    return undefined;
  }
  if (from === undefined) {
    return { field, change: 'added', to: showValue(to) };
  }
  if (to === undefined) {
    return { field, change: 'removed', from: showValue(from) };
  }
  if (sameValue(from, to)) {
    return undefined;
  }
  return { field, change: 'changed', from: showValue(from), to: showValue(to) };
}

/**
 * The changes of every key of two records (e.g. labels, or a pod spec without the parts
 * compared elsewhere), fields named by `name(key)`, in key order.
 */
export function recordChanges(
  from: UnknownRecord | undefined,
  to: UnknownRecord | undefined,
  name: (key: string) => string,
  skip: (key: string) => boolean = () => false,
): FieldChange[] {
  const keys = new Set([...Object.keys(from ?? {}), ...Object.keys(to ?? {})]);
  return [...keys]
    .filter(key => !skip(key))
    .sort()
    .map(key => fieldChange(name(key), from?.[key], to?.[key]))
    .filter((change): change is FieldChange => change !== undefined);
}

/** Orders strings by code unit (locale-independent, so every run sorts alike). */
export function compareText(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
