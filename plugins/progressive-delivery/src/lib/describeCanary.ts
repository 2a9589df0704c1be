import {
  CanaryGate,
  CanaryProgress,
  CanaryState,
  IstioRouting,
  WorkloadSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { describeTraffic } from './describeTraffic';
import { formatDuration, shortImage } from './format';

/** How a canary's state should look: drives the status icon and colours. */
export type CanaryTone = 'ok' | 'progress' | 'waiting' | 'warning' | 'error';

/** The one sentence a service owner reads first, and its tone. */
export interface CanarySummaryText {
  headline: string;
  tone: CanaryTone;
  /** What the rollout waits for, if anything: a gate, a person, or the next interval. */
  waitingFor?: string;
}

/**
 * Names the revision under rollout the way its owner knows it: the image of the canary's target
 * Deployment (`podinfo:6.7.1`), else Flagger's hash of the applied spec.
 */
export function revisionLabel(
  canary: Pick<CanaryState, 'ref' | 'target' | 'progress'>,
  workloads: WorkloadSummary[],
): string | undefined {
  const target = workloads.find(
    w =>
      w.ref.name === canary.target?.name &&
      w.ref.namespace === canary.ref.namespace,
  );
  if (target && target.images.length > 0) {
    return target.images.map(shortImage).join(', ');
  }
  return canary.progress.revision.lastAppliedSpec;
}

function checksText(progress: CanaryProgress): string {
  if (progress.skipAnalysis) {
    return 'analysis skipped';
  }
  if (progress.failedChecks === 0) {
    return 'all checks passing';
  }
  const plural = progress.failedChecks === 1 ? '' : 's';
  return `${progress.failedChecks} failed check${plural} (rollback at ${progress.threshold})`;
}

const GATE_ACTIONS: Record<CanaryGate['type'], string> = {
  'confirm-rollout': 'start rolling out',
  'confirm-traffic-increase': 'send more traffic to',
  'confirm-promotion': 'promote',
  rollback: 'roll back',
};

/**
 * The headline of a canary at rest (Succeeded, Failed, Initialized). Who serves traffic is read
 * from the routed weights: a failed promotion leaves all traffic on the canary.
 */
function restingHeadline(
  progress: CanaryProgress,
  canaryWeight: number,
  rev: string,
  Rev: string,
): CanarySummaryText | undefined {
  const onCanary =
    canaryWeight >= 100
      ? 'the canary serves all traffic'
      : `${canaryWeight}% of traffic is still on the canary`;
  const served = canaryWeight > 0 ? onCanary : 'the primary serves all traffic';
  switch (progress.phase) {
    case 'Succeeded':
      return { headline: `${Rev} is live — promoted; ${served}`, tone: 'ok' };
    case 'Failed':
      // Flagger's handleFailedPromotion: when the primary does not become ready during the
      // promotion, it routes everything to the canary (the only healthy copy), not back.
      return {
        headline:
          canaryWeight > 0
            ? `Promotion of ${rev} failed — ${onCanary}; the primary is not ready`
            : `${Rev} failed analysis and was rolled back — ${served}`,
        tone: 'error',
      };
    case 'Initialized':
      return { headline: `No rollout in progress — ${served}`, tone: 'ok' };
    default:
      return undefined;
  }
}

/** The headline for one canary; `routing`, when known, tells A/B, mirroring and sticky routes. */
export function describeCanary(
  progress: CanaryProgress,
  revision?: string,
  routing?: IstioRouting,
): CanarySummaryText {
  const rev = revision ? `revision ${revision}` : 'the new revision';
  const Rev = revision ? `Revision ${revision}` : 'The new revision';
  const traffic = describeTraffic(progress, routing);
  const detail = `${traffic.text}, ${checksText(progress)}`;
  const gate = progress.gates.find(g => g.waiting);

  if (progress.suspended) {
    return {
      headline:
        'Suspended — Flagger ignores new revisions until the canary is resumed',
      tone: 'warning',
    };
  }
  if (gate) {
    return {
      headline: `Waiting for approval to ${
        GATE_ACTIONS[gate.type]
      } ${rev} — ${detail}`,
      tone: 'waiting',
      waitingFor: `the gate "${gate.name}" (${gate.type}) to be opened`,
    };
  }
  switch (progress.phase) {
    case 'Waiting':
      return {
        headline: `Waiting for approval to start rolling out ${rev}`,
        tone: 'waiting',
        waitingFor: 'approval to start the rollout',
      };
    case 'WaitingPromotion':
      return {
        headline: `Analysis passed — waiting for approval to promote ${rev} (${detail})`,
        tone: 'waiting',
        waitingFor: 'approval to promote',
      };
    case 'Progressing': {
      const remaining =
        progress.remainingMs !== undefined
          ? `; about ${formatDuration(progress.remainingMs)} to promotion`
          : '';
      return {
        headline: `Rolling out ${rev} — ${detail}${remaining}`,
        tone: progress.failedChecks > 0 ? 'warning' : 'progress',
        waitingFor: `the next analysis run (every ${formatDuration(
          progress.intervalMs,
        )})`,
      };
    }
    case 'Promoting':
      return {
        headline: `Promoting ${rev} — copying the canary to the primary`,
        tone: 'progress',
      };
    case 'Finalising':
      return {
        headline: `Promoted ${rev} — routing all traffic back to the primary`,
        tone: 'progress',
      };
    default:
      return (
        restingHeadline(progress, traffic.canaryWeight, rev, Rev) ?? {
          headline: progress.phaseDescription,
          tone: 'waiting',
        }
      );
  }
}
