import { parseEntityRef } from '@backstage/catalog-model';
import {
  ENDED_PHASES,
  EntityDeliveryState,
  ROLLOUT_PHASES,
  RolloutOutcome,
  RolloutRecord,
  RolloutSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { CanaryTone } from './describeCanary';
import { formatDuration } from './format';

/** The history table's word and tone for each outcome. */
export const OUTCOME_TEXT: Record<
  RolloutOutcome,
  { label: string; tone: CanaryTone }
> = {
  progressing: { label: 'In progress', tone: 'progress' },
  succeeded: { label: 'Promoted', tone: 'ok' },
  failed: { label: 'Rolled back', tone: 'error' },
  superseded: { label: 'Superseded', tone: 'warning' },
};

/** One figure above the history table. */
export interface SummaryFigure {
  label: string;
  value: string;
  /** What the value is made of, in a few words. */
  detail: string;
}

/** Rollouts, success rate, rollbacks and median time to promote, in words. */
export function summaryFigures(summary: RolloutSummary): SummaryFigure[] {
  const ended = summary.succeeded + summary.failed;
  const parts = (entries: Array<[number, string]>) =>
    entries
      .filter(([count]) => count > 0)
      .map(([count, text]) => `${count} ${text}`)
      .join(', ');
  return [
    {
      label: 'Rollouts',
      value: String(summary.rollouts),
      detail:
        parts([
          [summary.progressing, 'in progress'],
          [summary.superseded, 'superseded'],
        ]) || `in the last ${summary.days} days`,
    },
    {
      label: 'Success rate',
      value:
        summary.successRate === undefined
          ? '—'
          : `${Math.round(summary.successRate * 100)}%`,
      detail:
        ended === 0
          ? 'no rollout ended yet'
          : `${summary.succeeded} of ${ended} ended promoted`,
    },
    {
      label: 'Rollbacks',
      value: String(summary.rollbacks),
      detail: rollbacksDetail(summary),
    },
    {
      label: 'Median time to promote',
      value:
        summary.medianTimeToPromoteMs === undefined
          ? '—'
          : formatDuration(summary.medianTimeToPromoteMs),
      detail: `over ${summary.succeeded} promoted rollout${
        summary.succeeded === 1 ? '' : 's'
      }`,
    },
  ];
}

function rollbacksDetail(summary: RolloutSummary): string {
  if (summary.rollbacks === 0) {
    return 'none';
  }
  return summary.manualRollbacks > 0
    ? `${summary.manualRollbacks} started by a person`
    : 'all by Flagger’s analysis';
}

/** How long the rollout took, or has been running (`running 4 min`). */
export function rolloutDuration(
  record: Pick<RolloutRecord, 'startedAt' | 'endedAt' | 'durationMs'>,
  now: Date,
): string {
  if (record.durationMs !== undefined) {
    return formatDuration(record.durationMs);
  }
  const started = Date.parse(record.startedAt);
  const end = record.endedAt ? Date.parse(record.endedAt) : now.getTime();
  if (Number.isNaN(started) || Number.isNaN(end)) {
    return '—';
  }
  const text = formatDuration(end - started);
  return record.endedAt ? text : `running ${text}`;
}

/** `user:default/jane.doe` reads as `jane.doe`; other namespaces and kinds stay visible. */
export function personName(ref: string): string {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    if (parsed.kind.toLocaleLowerCase('en-US') !== 'user') {
      return ref;
    }
    return parsed.namespace === 'default'
      ? parsed.name
      : `${parsed.namespace}/${parsed.name}`;
  } catch {
    return ref;
  }
}

/** Who acted on the rollout through the plugin, in words, or undefined when nobody did. */
export function actedBy(record: RolloutRecord): string | undefined {
  const parts = [];
  if (record.approvedBy) {
    parts.push(`approved by ${personName(record.approvedBy)}`);
  }
  if (record.rolledBackBy) {
    parts.push(
      `${
        record.outcome === 'failed' ? 'rolled back' : 'halted'
      } by ${personName(record.rolledBackBy)}`,
    );
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * A key that changes when a rollout of the entity may have been recorded, advanced or ended: each
 * canary's revision and phase. The history is fetched again when it changes, so it follows the
 * live stream without polling and without a request per traffic step.
 */
export function historyRefreshKey(state?: EntityDeliveryState): string {
  if (!state) {
    return '';
  }
  return state.clusters
    .flatMap(cluster =>
      cluster.canaries.map(
        c =>
          `${c.ref.cluster}/${c.ref.namespace}/${c.ref.name}=${
            c.progress.revision.lastAppliedSpec ?? ''
          }:${c.progress.phase}`,
      ),
    )
    .sort()
    .join(',');
}

/**
 * Whether the newest page of the history lags behind what the live stream shows: a rollout
 * still recorded as in progress whose canary has ended, or a rollout under way that is not
 * recorded yet. The recorder writes a moment after the stream reports, so the view asks again.
 */
export function historyBehindLive(
  records: RolloutRecord[],
  state?: EntityDeliveryState,
): boolean {
  if (!state) {
    return false;
  }
  return state.clusters.some(cluster =>
    cluster.canaries.some(canary => {
      const { phase, revision } = canary.progress;
      const recorded = records.find(
        r =>
          r.cluster === canary.ref.cluster &&
          r.namespace === canary.ref.namespace &&
          r.canary === canary.ref.name &&
          r.revision === revision.lastAppliedSpec,
      );
      if (ROLLOUT_PHASES.has(phase)) {
        return !recorded;
      }
      return ENDED_PHASES.has(phase) && recorded?.outcome === 'progressing';
    }),
  );
}
