// Defensive readers for untyped Kubernetes payloads: a malformed field reads as undefined
// instead of throwing, so one odd object never breaks a whole response.

/**
 * A JSON object of unknown shape.
 *
 * @public
 */
export type UnknownRecord = Record<string, unknown>;

/**
 * Whether `value` is a JSON object (not null, not an array).
 *
 * @public
 */
export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value` as a JSON object, or undefined.
 *
 * @public
 */
export function asRecord(value: unknown): UnknownRecord | undefined {
  return isRecord(value) ? value : undefined;
}

/**
 * `value` as a string, or undefined.
 *
 * @public
 */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * `value` as a finite number, or undefined.
 *
 * @public
 */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

/**
 * `value` as a boolean, or undefined.
 *
 * @public
 */
export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * `value` as an array, or undefined.
 *
 * @public
 */
export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/**
 * `value` as a map of its string entries, or undefined.
 *
 * @public
 */
export function asStringMap(
  value: unknown,
): Record<string, string> | undefined {
  const record = asRecord(value);
  if (!record) {
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record)) {
    if (typeof entry === 'string') {
      result[key] = entry;
    }
  }
  return result;
}

/**
 * Reads `path` (dot-free keys) from nested records; undefined where a step is not a record.
 *
 * @public
 */
export function readPath(value: unknown, ...path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    const record = asRecord(current);
    if (!record) {
      return undefined;
    }
    current = record[key];
  }
  return current;
}
