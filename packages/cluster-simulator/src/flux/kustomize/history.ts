import { goDuration, isoTime } from '../../util/time';
import { sha256Hex } from '../digests';

/**
 * Adds a run to `status.history` (newest first, at most 5): runs with the same
 * revision and result share an entry that counts them.
 */
export function recordHistory(
  st: Record<string, unknown>,
  revision: string,
  result: string,
  durationMs: number,
  now: number,
): void {
  const history = [...((st.history as Array<Record<string, unknown>>) ?? [])];
  const digest = `sha256:${sha256Hex(`${revision}/${result}`)}`;
  const existing = history.find(h => h.digest === digest);
  if (existing) {
    existing.lastReconciled = isoTime(now);
    existing.lastReconciledDuration = goDuration(durationMs);
    existing.totalReconciliations =
      Number(existing.totalReconciliations ?? 0) + 1;
  } else {
    history.unshift({
      digest,
      firstReconciled: isoTime(now),
      lastReconciled: isoTime(now),
      lastReconciledDuration: goDuration(durationMs),
      lastReconciledStatus: result,
      totalReconciliations: 1,
      metadata: { revision },
    });
  }
  st.history = history.slice(0, 5);
}
