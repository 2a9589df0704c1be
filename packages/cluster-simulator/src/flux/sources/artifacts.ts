import { Condition, KubeObject } from '../../types';
import { isoTime } from '../../util/time';
import { condition, removeCondition, setConditions } from '../conditions';
import { sha256Hex } from '../digests';

/**
 * Artifacts and the Ready/ArtifactInStorage conditions as source-controller
 * v1.9 writes them (see the shared reference examples).
 */

export interface Artifact {
  digest: string;
  lastUpdateTime: string;
  path: string;
  revision: string;
  size: number;
  url: string;
  metadata?: Record<string, string>;
}

/** The artifact a source stores for `revision`, at source-controller's storage path. */
export function sourceArtifact(
  source: KubeObject,
  revision: string,
  now: number,
): Artifact {
  const { namespace, name } = source.metadata;
  const kindPath = source.kind.toLowerCase();
  const digest = sha256Hex(`${namespace}/${name}/${revision}`);
  const file =
    kindPath === 'helmrepository' ? `index-${digest}.yaml` : `${digest}.tar.gz`;
  const path = `${kindPath}/${namespace}/${name}/${file}`;
  return {
    digest: `sha256:${digest}`,
    lastUpdateTime: isoTime(now),
    path,
    revision,
    size: 4096 + (parseInt(digest.slice(0, 4), 16) % 60000),
    url: `http://source-controller.flux-system.svc.cluster.local./${path}`,
  };
}

/** The Ready message of a source for an artifact revision. */
export function sourceReadyMessage(kind: string, revision: string): string {
  switch (kind) {
    case 'OCIRepository':
      return `stored artifact for digest '${revision}'`;
    case 'HelmRepository':
      return `stored artifact: revision '${revision}'`;
    default:
      return `stored artifact for revision '${revision}'`;
  }
}

/** Ready and ArtifactInStorage of a source that stored `revision`. */
export function sourceReadyConditions(
  conditions: Condition[],
  kind: string,
  revision: string,
  generation: number | undefined,
  now: number,
): Condition[] {
  const message = sourceReadyMessage(kind, revision);
  return setConditions(
    removeCondition(conditions, 'FetchFailed'),
    ['Ready', 'ArtifactInStorage'].map(type =>
      condition(type, 'True', 'Succeeded', message, generation),
    ),
    now,
  );
}
