import {
  asString,
  deriveRolloutChanges,
  KubeObject,
  readPath,
  readTrackedConfigs,
  RolloutChanges,
  RolloutChangesOptions,
  TrackedConfigs,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ResolvedCanary } from '../resolve/EntityResolver';
import { FluxLookup, fluxSourcesOf } from '../resolve/fluxLinks';
import { compile, each, KEEP, Shape } from '../watch/projectionShape';
import { Promotion } from './RolloutChangesRepository';

/**
 * Phases in which the primary still runs the promoted revision and the target the one under
 * analysis: Flagger copies the target's template into the primary before it sets Promoting
 * (fluxcd/flagger pkg/controller/scheduler.go @ v1.44.0: `Promote` then
 * `SetStatusPhase(..., CanaryPhasePromoting)`), and leaves both alone when it rolls back.
 */
export const CHANGES_PHASES: ReadonlySet<string> = new Set([
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Failed',
]);

const CONTAINER: Shape = {
  name: KEEP,
  image: KEEP,
  env: KEEP,
  envFrom: KEEP,
  resources: KEEP,
};

/**
 * What the backend compares of the target and the primary: each container's image, env,
 * envFrom and resources, and the pod template's labels, annotations, volumes and service
 * account. The projection keeps these fields of Deployments and DaemonSets
 * (`projectionShapes.ts` POD_TEMPLATE); nothing else of a pod template is kept in memory, so
 * nothing else is compared, whether the objects are projected or not.
 */
const COMPARED_WORKLOAD: Shape = {
  kind: KEEP,
  metadata: { name: KEEP, namespace: KEEP },
  spec: {
    template: {
      metadata: { labels: KEEP, annotations: KEEP },
      spec: {
        containers: each(CONTAINER),
        initContainers: each(CONTAINER),
        volumes: KEEP,
        serviceAccountName: KEEP,
      },
    },
  },
};

const compared = compile(COMPARED_WORKLOAD);

/** The compared part of a workload (see COMPARED_WORKLOAD). */
export function comparedWorkload(
  workload: KubeObject | undefined,
): KubeObject | undefined {
  return workload && (compared(workload) as KubeObject);
}

/**
 * The Flux source behind a canary and the revision applied from it: the Git repository among
 * its Flux owner's sources (else the nearest source, for which there is no compare link), and
 * the Kustomization's `status.lastAppliedRevision` when it applies that source directly, else
 * the source's `status.artifact.revision`.
 */
export function canarySource(
  lookup: FluxLookup,
  cluster: string,
  fluxOwner: KubeObject | undefined,
): { source?: KubeObject; revision?: string } {
  if (!fluxOwner) {
    return {};
  }
  const sources = fluxSourcesOf(lookup, cluster, fluxOwner);
  const source = sources.find(s => s.kind === 'GitRepository') ?? sources[0];
  if (!source) {
    return {};
  }
  const applied =
    fluxOwner.kind === 'Kustomization' && source === sources[0]
      ? asString(readPath(fluxOwner.status, 'lastAppliedRevision'))
      : undefined;
  const revision =
    applied || asString(readPath(source.status, 'artifact', 'revision'));
  return { source, ...(revision ? { revision } : {}) };
}

/** What one look at a canary says of its rollout's changes. */
export interface CanaryChangesObservation {
  /** Only in the phases of CHANGES_PHASES, with a target and a primary. */
  changes?: RolloutChanges;
  trackedConfigs?: TrackedConfigs;
  sourceRevision?: string;
}

/** The objects of a resolved canary its changes come from. */
export type ResolvedForChanges = Pick<
  ResolvedCanary,
  'canary' | 'target' | 'primary' | 'fluxOwner'
>;

/**
 * A canary's changes against the promoted rollout (`promotion`, as recorded), its tracked
 * configs and the Flux revision applied (`source`, see {@link canarySource}). Pure.
 */
export function observeWithSource(
  resolved: ResolvedForChanges,
  source: { source?: KubeObject; revision?: string },
  promotion: Promotion | undefined,
  options: RolloutChangesOptions = {},
): CanaryChangesObservation {
  const { canary, target, primary } = resolved;
  const trackedConfigs = readTrackedConfigs(canary);
  const observation: CanaryChangesObservation = {
    ...(trackedConfigs ? { trackedConfigs } : {}),
    ...(source.revision ? { sourceRevision: source.revision } : {}),
  };
  const phase = asString(readPath(canary.status, 'phase')) ?? '';
  if (!target || !primary || !CHANGES_PHASES.has(phase)) {
    return observation;
  }
  observation.changes = deriveRolloutChanges({
    canary,
    target: comparedWorkload(target),
    primary: comparedWorkload(primary),
    previousTrackedConfigs: promotion?.trackedConfigs,
    ...(source.source
      ? {
          source: {
            gitRepository: source.source,
            fromRevision: promotion?.sourceRevision,
            toRevision: source.revision,
          },
        }
      : {}),
    options,
  });
  return observation;
}

/** {@link observeWithSource} with the canary's source looked up. */
export function observeCanaryChanges(
  lookup: FluxLookup,
  cluster: string,
  resolved: ResolvedForChanges,
  promotion: Promotion | undefined,
  options: RolloutChangesOptions = {},
): CanaryChangesObservation {
  return observeWithSource(
    resolved,
    canarySource(lookup, cluster, resolved.fluxOwner),
    promotion,
    options,
  );
}
