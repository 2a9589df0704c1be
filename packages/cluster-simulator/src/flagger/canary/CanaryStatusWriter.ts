import { computeSpecHash } from '../../util/hash';
import { ObjectStore } from '../../api/ObjectStore';
import { isoTime } from '../../util/time';
import { trackedConfigs } from '../configTracker';
import { KubeObject } from '../../types';
import {
  Canary,
  CanaryCondition,
  CanaryPhase,
  CanaryStatus,
  FLAGGER_API_VERSION,
} from '../model';

/**
 * The Promoted condition for a phase (pkg/canary/status.go
 * MakeStatusConditions): undefined when status and reason are unchanged.
 */
export function makeStatusConditions(
  canary: Canary,
  phase: CanaryPhase,
  now: number,
): CanaryCondition[] | undefined {
  const kind = canary.spec.targetRef.kind;
  const messages: Record<string, [CanaryCondition['status'], string]> = {
    Initializing: ['Unknown', `New ${kind} detected, starting initialization.`],
    Initialized: ['True', `${kind} initialization completed.`],
    Waiting: ['Unknown', 'Waiting for approval.'],
    WaitingPromotion: ['Unknown', 'Waiting for approval.'],
    Progressing: [
      'Unknown',
      'New revision detected, progressing canary analysis.',
    ],
    Promoting: [
      'Unknown',
      'Canary analysis completed, starting primary rolling update.',
    ],
    Finalising: [
      'Unknown',
      'Canary analysis completed, routing all traffic to primary.',
    ],
    Succeeded: [
      'True',
      'Canary analysis completed successfully, promotion finished.',
    ],
    Failed: ['False', `Canary analysis failed, ${kind} scaled to zero.`],
  };
  const [status, message] = messages[phase] ?? [
    'Unknown',
    `New ${kind} detected, starting initialization.`,
  ];
  const current = canary.status?.conditions?.find(c => c.type === 'Promoted');
  if (current && current.status === status && current.reason === phase)
    return undefined;
  return [
    {
      type: 'Promoted',
      status,
      lastUpdateTime: isoTime(now),
      lastTransitionTime:
        current && current.status === status
          ? current.lastTransitionTime
          : isoTime(now),
      message,
      reason: phase,
    },
  ];
}

/** Status updates with the semantics of Flagger's canary controller (status.go). */
export class CanaryStatusWriter {
  constructor(private readonly store: ObjectStore) {}

  private write(
    canary: Canary,
    fn: (status: CanaryStatus, current: Canary) => void,
  ): Canary {
    const updated = this.store.mutate(
      FLAGGER_API_VERSION,
      'Canary',
      canary.metadata.namespace,
      canary.metadata.name,
      c => {
        const status = { ...((c.status as CanaryStatus) ?? {}) };
        fn(status, c as Canary);
        c.status = status;
      },
    );
    return (updated ?? canary) as Canary;
  }

  /** SyncStatus: phase, weight, failed checks and iterations, with the spec hash. */
  syncStatus(
    canary: Canary,
    target: KubeObject,
    next: Pick<
      CanaryStatus,
      'phase' | 'canaryWeight' | 'failedChecks' | 'iterations'
    >,
    now: number,
  ): Canary {
    const hash = computeSpecHash(
      (target.spec as { template?: unknown }).template,
    );
    return this.write(canary, (status, current) => {
      status.phase = next.phase;
      status.canaryWeight = next.canaryWeight ?? 0;
      status.failedChecks = next.failedChecks ?? 0;
      status.iterations = next.iterations ?? 0;
      status.lastAppliedSpec = hash;
      if (next.phase === 'Initialized') status.lastPromotedSpec = hash;
      const template = (target.spec as { template?: unknown }).template;
      const configs = trackedConfigs(
        this.store,
        current.metadata.namespace ?? '',
        template,
      );
      if (configs) status.trackedConfigs = configs;
      else delete status.trackedConfigs;
      status.lastTransitionTime = isoTime(now);
      const conditions = makeStatusConditions(current, next.phase ?? '', now);
      if (conditions) status.conditions = conditions;
    });
  }

  /** SetStatusPhase: weight and iterations reset outside Progressing/Waiting. */
  setPhase(canary: Canary, phase: CanaryPhase, now: number): Canary {
    return this.write(canary, (status, current) => {
      status.phase = phase;
      status.lastTransitionTime = isoTime(now);
      if (phase !== 'Progressing' && phase !== 'Waiting') {
        status.canaryWeight = 0;
        status.iterations = 0;
        if (phase === 'WaitingPromotion') {
          status.iterations = (current.spec.analysis?.iterations ?? 0) - 1;
        }
      }
      if (phase === 'Initialized' || phase === 'Succeeded') {
        status.lastPromotedSpec = current.status?.lastAppliedSpec;
      }
      const conditions = makeStatusConditions(
        {
          ...current,
          status: { ...status, conditions: current.status?.conditions },
        },
        phase,
        now,
      );
      if (conditions) status.conditions = conditions;
    });
  }

  setWeight(canary: Canary, weight: number, now: number): Canary {
    return this.write(canary, status => {
      status.canaryWeight = weight;
      status.lastTransitionTime = isoTime(now);
    });
  }

  setFailedChecks(canary: Canary, value: number, now: number): Canary {
    return this.write(canary, status => {
      status.failedChecks = value;
      status.lastTransitionTime = isoTime(now);
    });
  }

  setIterations(canary: Canary, value: number, now: number): Canary {
    return this.write(canary, status => {
      status.iterations = value;
      status.lastTransitionTime = isoTime(now);
    });
  }

  /** setPhaseInitializing: only the phase and its condition. */
  setInitializing(canary: Canary, now: number): Canary {
    return this.write(canary, (status, current) => {
      const conditions = makeStatusConditions(current, 'Initializing', now);
      if (conditions) status.conditions = conditions;
      status.lastTransitionTime = isoTime(now);
      status.phase = 'Initializing';
    });
  }
}
