// Time and duration helpers shared by the simulated controllers and the API server.

export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
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

/** kubectl's age format: 45s, 5m12s, 3h4m, 2d5h. */
export function humanAge(fromIso: string | undefined, nowMs: number): string {
  if (!fromIso) return '<unknown>';
  const s = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 && d < 8 ? `${d}d${h % 24}h` : `${d}d`;
}
