export { deriveRolloutChanges } from './rolloutChanges';
export type {
  RolloutChangesInput,
  RolloutChangesOptions,
} from './rolloutChanges';
export type { RolloutSourceInput } from './source';
export { readTrackedConfigs } from './trackedConfigs';
export {
  DEFAULT_GIT_HOSTS,
  gitCommitOf,
  gitCompareUrl,
  redactGitUrl,
} from './gitCompare';
export type { GitCompareOptions, GitHostSetting } from './gitCompare';
export { FLAGGER_SELECTOR_LABELS } from './primaryTemplate';
