import { parseFluxRevision } from '@progressive-delivery/plugin-progressive-delivery-common';

/** A short, rounded duration for people: `45 s`, `3 min`, `1 h 20 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * A Flux revision as people recognise it: the ref and a short hash (`main@4f2e9c1`,
 * `6.1.8@b3b00fe` for the legacy `<ref>/<commit>` form), or the revision as it is when it has
 * no hash (a chart version).
 */
export function shortRevision(revision: string): string {
  const { ref, hash } = parseFluxRevision(revision);
  if (!hash) {
    return revision;
  }
  const digest = hash.slice(0, 7);
  return ref ? `${ref}@${digest}` : digest;
}

/** The image's last path segment with its tag: `ghcr.io/org/podinfo:6.7.1` -> `podinfo:6.7.1`. */
export function shortImage(image: string): string {
  const withoutDigest = image.split('@')[0];
  return withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
}

/** A threshold range in words: `≥ 99`, `≤ 500`, `99 – 100`. */
export function formatThresholdRange(range?: {
  min?: number;
  max?: number;
}): string {
  if (!range || (range.min === undefined && range.max === undefined)) {
    return '—';
  }
  if (range.min !== undefined && range.max !== undefined) {
    return `${range.min} – ${range.max}`;
  }
  return range.min !== undefined ? `≥ ${range.min}` : `≤ ${range.max}`;
}

/** A local time of day for timelines, with the date when it is not today. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return date.toDateString() === now.toDateString()
    ? time
    : `${date.toLocaleDateString()} ${time}`;
}
