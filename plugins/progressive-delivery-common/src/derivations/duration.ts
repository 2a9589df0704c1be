const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go duration string as Flagger and Flux write them (`15s`, `1m30s`, `500ms`, `1h`).
 * Returns milliseconds, or undefined for anything else.
 *
 * @public
 */
export function parseGoDuration(value: string | undefined): number | undefined {
  if (!value) {
    return undefined;
  }
  if (value === '0') {
    return 0;
  }
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of value.matchAll(pattern)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
    consumed += match[0].length;
  }
  return consumed === value.length && consumed > 0 ? total : undefined;
}
