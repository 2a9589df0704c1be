// "What changed" in a rollout: the target workload (the revision under analysis) against
// `<target>-primary` (the revision Flagger promoted), the ConfigMaps and Secrets Flagger
// tracks, and the Git range behind it. Pure; malformed input becomes `problems`.
import { ObjectProblem } from '../../api';
import { RolloutChanges, TrackedConfigs } from '../../apiWhatChanged';
import { readCanaryTargetRef } from '../../flagger/targetRef';
import { KubeObject } from '../../kubernetes';
import { UnknownRecord, asRecord, isRecord, readPath } from '../read';
import { referencedConfigKeys } from './configRefs';
import { containerChanges } from './containers';
import { GitCompareOptions } from './gitCompare';
import { podTemplateChanges } from './podTemplate';
import {
  FLAGGER_SELECTOR_LABELS,
  normalisePrimaryTemplate,
} from './primaryTemplate';
import { RolloutSourceInput, sourceChange } from './source';
import { readTrackedConfigs, trackedConfigChanges } from './trackedConfigs';

/**
 * Options of {@link deriveRolloutChanges}.
 *
 * @public
 */
export interface RolloutChangesOptions extends GitCompareOptions {
  /** Flagger's `-selector-labels`; default `app`, `name`, `app.kubernetes.io/name`. */
  selectorLabels?: string[];
}

/**
 * Input of {@link deriveRolloutChanges}.
 *
 * @public
 */
export interface RolloutChangesInput {
  canary?: KubeObject;
  /** The canary's `spec.targetRef` workload: the revision under analysis. */
  target?: KubeObject;
  /** `<target>-primary`: the revision Flagger promoted. */
  primary?: KubeObject;
  /** `status.trackedConfigs` as recorded when the previous rollout was promoted. */
  previousTrackedConfigs?: TrackedConfigs;
  source?: RolloutSourceInput;
  options?: RolloutChangesOptions;
}

const NO_TRACKED_CONFIGS =
  'The canary reports no status.trackedConfigs although the target references ConfigMaps or ' +
  'Secrets: Flagger runs with -enable-config-tracking=false, each is annotated ' +
  'flagger.app/config-tracking: disabled or is a Secret type Flagger ignores, or Flagger has ' +
  'not synced this revision yet.';
const NO_PREVIOUS_CHECKSUMS =
  "The promoted rollout's config checksums were not recorded: content changes of configs " +
  'both revisions track are unknown, and configs no longer tracked are not listed.';

function checkNames(input: RolloutChangesInput, problems: ObjectProblem[]) {
  const ref = readCanaryTargetRef(input.canary);
  if (!input.canary) {
    problems.push({ field: 'canary', message: 'no canary given' });
  } else if (!ref) {
    problems.push({
      field: 'canary.spec.targetRef',
      message: 'names no workload',
    });
  }
  const name = ref?.name ?? input.target?.metadata?.name ?? '';
  const targetName = input.target?.metadata?.name;
  const primaryName = input.primary?.metadata?.name;
  if (ref && targetName && targetName !== ref.name) {
    problems.push({
      field: 'target.metadata.name',
      message: `is ${targetName}, the canary targets ${ref.name}`,
    });
  }
  if (name && primaryName && primaryName !== `${name}-primary`) {
    problems.push({
      field: 'primary.metadata.name',
      message: `is ${primaryName}, expected ${name}-primary`,
    });
  }
  const kind = ref?.kind ?? input.target?.kind ?? '';
  if (kind && kind !== 'Deployment' && kind !== 'DaemonSet') {
    problems.push({
      field: 'canary.spec.targetRef.kind',
      message: `${kind}: Flagger promotes Deployments and DaemonSets`,
    });
  }
  return { name, kind };
}

function template(
  object: KubeObject | undefined,
  side: string,
  problems: ObjectProblem[],
) {
  if (!object) {
    problems.push({ field: side, message: `no ${side} workload given` });
    return undefined;
  }
  const found = asRecord(readPath(object.spec, 'template'));
  if (!found) {
    problems.push({
      field: `${side}.spec.template`,
      message: 'missing or not an object',
    });
  }
  return found;
}

function cleanPrevious(
  previous: unknown,
  problems: ObjectProblem[],
): TrackedConfigs | undefined {
  if (previous === undefined) {
    return undefined;
  }
  if (!isRecord(previous)) {
    problems.push({ field: 'previousTrackedConfigs', message: 'not a map' });
    return undefined;
  }
  const result: TrackedConfigs = {};
  for (const [key, value] of Object.entries(previous)) {
    if (typeof value === 'string') {
      result[key] = value;
    } else {
      problems.push({
        field: `previousTrackedConfigs['${key}']`,
        message: 'the checksum is not a string',
      });
    }
  }
  return result;
}

/**
 * What differs between the revision Flagger promoted (`<target>-primary`) and the one under
 * analysis (the target): containers (image, env, envFrom, resources, other fields), the rest of
 * the pod template, the tracked ConfigMaps and Secrets (names and Flagger's checksums, never a
 * value) and the Flux source revisions with a compare link. Flagger's own rewrites of the
 * primary are not changes. Never throws.
 *
 * @public
 */
export function deriveRolloutChanges(
  given: RolloutChangesInput,
): RolloutChanges {
  const input: RolloutChangesInput = isRecord(given) ? given : {};
  const options: RolloutChangesOptions = asRecord(input.options) ?? {};
  const selectorLabels = Array.isArray(options.selectorLabels)
    ? options.selectorLabels
    : FLAGGER_SELECTOR_LABELS;
  const problems: ObjectProblem[] = [];
  const notes: string[] = [];
  const { name, kind } = checkNames(input, problems);
  const current = readTrackedConfigs(input.canary, problems);
  const previous = cleanPrevious(input.previousTrackedConfigs, problems);
  const targetTemplate = template(input.target, 'target', problems);
  const primaryTemplate = template(input.primary, 'primary', problems);
  let primary: UnknownRecord | undefined;
  if (targetTemplate && primaryTemplate) {
    primary = normalisePrimaryTemplate(primaryTemplate, {
      kind,
      targetName: name,
      targetTemplate,
      selectorLabels,
      trackedKeys: new Set([
        ...Object.keys(current ?? {}),
        ...Object.keys(previous ?? {}),
      ]),
    });
  }
  const targetSpec = asRecord(targetTemplate?.spec) ?? {};
  const primarySpec = asRecord(primary?.spec) ?? {};
  const configs = trackedConfigChanges(
    current ?? {},
    previous,
    referencedConfigKeys(primarySpec),
    problems,
  );
  if (!current && referencedConfigKeys(targetSpec).size > 0) {
    notes.push(NO_TRACKED_CONFIGS);
  }
  if (!previous && configs.length > 0) {
    notes.push(NO_PREVIOUS_CHECKSUMS);
  }
  return {
    containers:
      targetTemplate && primary
        ? containerChanges(primarySpec, targetSpec, problems)
        : [],
    podTemplate:
      targetTemplate && primary
        ? podTemplateChanges(primary, targetTemplate)
        : [],
    configs,
    configsBasis: previous ? 'previousRollout' : 'status',
    ...(input.source ? { source: sourceChange(input.source, options) } : {}),
    notes,
    problems,
  };
}
