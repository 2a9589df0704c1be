// The Flux source behind a rollout: its revisions before and after, and a compare link when it
// is a Git repository on a known forge.
import { RolloutSourceChange } from '../../apiWhatChanged';
import { KubeObject } from '../../kubernetes';
import { asString, readPath } from '../read';
import { GitCompareOptions, gitCompareUrl, redactGitUrl } from './gitCompare';

/**
 * The source of a rollout as the caller knows it: the Flux source object (a GitRepository for
 * compare links) and the revisions Flux applied for the promoted rollout and for this one.
 *
 * @public
 */
export interface RolloutSourceInput {
  gitRepository?: KubeObject;
  /** The revision applied when the previous rollout was promoted, e.g. `main@sha1:…`. */
  fromRevision?: string;
  /** The revision applied for this rollout. */
  toRevision?: string;
}

/** The source part of a rollout's changes. */
export function sourceChange(
  input: RolloutSourceInput,
  options: GitCompareOptions,
): RolloutSourceChange {
  const object = input.gitRepository;
  const kind = object?.kind;
  const rawUrl = asString(readPath(object?.spec, 'url'));
  const base: RolloutSourceChange = {
    ...(kind ? { kind } : {}),
    ...(object?.metadata?.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    ...(object?.metadata?.name ? { name: object.metadata.name } : {}),
    ...(rawUrl ? { url: redactGitUrl(rawUrl) } : {}),
    ...(input.fromRevision ? { fromRevision: input.fromRevision } : {}),
    ...(input.toRevision ? { toRevision: input.toRevision } : {}),
  };
  if (!object) {
    return { ...base, reason: 'no Flux source given' };
  }
  if (kind && kind !== 'GitRepository') {
    return {
      ...base,
      reason: `compare links need a GitRepository, not a ${kind}`,
    };
  }
  const link = gitCompareUrl(
    rawUrl,
    input.fromRevision,
    input.toRevision,
    options,
  );
  return {
    ...base,
    ...(link.hostKind ? { hostKind: link.hostKind } : {}),
    ...(link.fromCommit ? { fromCommit: link.fromCommit } : {}),
    ...(link.toCommit ? { toCommit: link.toCommit } : {}),
    ...(link.compareUrl ? { compareUrl: link.compareUrl } : {}),
    ...(link.reason ? { reason: link.reason } : {}),
  };
}
