// The ConfigMaps and Secrets Flagger tracks for a canary. Flagger keeps one map in the Canary's
// `status.trackedConfigs`: `configmap/<name>` | `secret/<name>` -> the first 8 bytes (hex) of
// the SHA-256 of the JSON of the object's `data` (fluxcd/flagger pkg/canary/config_tracker.go
// checksum(), GetConfigRefs() @ v1.44.0). It is rewritten by SyncStatus (deployment_status.go,
// daemonset_status.go) whenever Flagger syncs the status, e.g. when it starts analysing a new
// revision: during an analysis it holds the checksums of the revision under analysis and the
// promoted revision's are gone. So "changed" needs the checksums a previous rollout recorded.
// Not tracked at all: configs annotated `flagger.app/config-tracking: disabled`, Secrets other
// than Opaque, basic-auth, ssh-auth and TLS, and everything when Flagger runs with
// `-enable-config-tracking=false`.
import { ObjectProblem } from '../../api';
import {
  TrackedConfigChange,
  TrackedConfigChangeKind,
  TrackedConfigs,
} from '../../apiWhatChanged';
import { KubeObject } from '../../kubernetes';
import { asRecord, readPath } from '../read';
import { compareText } from './values';

/**
 * A canary's `status.trackedConfigs`, or undefined when Flagger reports none. Entries that are
 * not strings are left out with a problem.
 *
 * @public
 */
export function readTrackedConfigs(
  canary: KubeObject | undefined,
  problems: ObjectProblem[] = [],
): TrackedConfigs | undefined {
  const raw = readPath(canary?.status, 'trackedConfigs');
  if (raw === undefined || raw === null) {
    return undefined;
  }
  const record = asRecord(raw);
  if (!record) {
    problems.push({ field: 'status.trackedConfigs', message: 'not a map' });
    return undefined;
  }
  const result: TrackedConfigs = {};
  for (const key of Object.keys(record).sort()) {
    const value = record[key];
    if (typeof value === 'string') {
      result[key] = value;
    } else {
      problems.push({
        field: `status.trackedConfigs['${key}']`,
        message: 'the checksum is not a string',
      });
    }
  }
  return result;
}

const KINDS = { configmap: 'ConfigMap', secret: 'Secret' } as const;

function parseKey(key: string) {
  const slash = key.indexOf('/');
  const type = key.slice(0, slash) as keyof typeof KINDS;
  const name = key.slice(slash + 1);
  return slash > 0 && name && KINDS[type]
    ? { kind: KINDS[type], name }
    : undefined;
}

function kindOf(
  key: string,
  current: TrackedConfigs,
  previous: TrackedConfigs | undefined,
  primaryKeys: Set<string>,
): TrackedConfigChangeKind {
  const now = current[key];
  const before = previous?.[key];
  if (!previous) {
    return primaryKeys.has(key) ? 'unknown' : 'added';
  }
  if (now === undefined) {
    return 'removed';
  }
  if (before === undefined) {
    return 'added';
  }
  return before === now ? 'unchanged' : 'changed';
}

/**
 * The tracked configs of a rollout: with the promoted rollout's checksums (`previous`) every
 * change is known; without, a config the primary also references is `unknown` and one it does
 * not is `added` (configs no longer tracked cannot be told). ConfigMaps then Secrets, by name.
 */
export function trackedConfigChanges(
  current: TrackedConfigs,
  previous: TrackedConfigs | undefined,
  primaryKeys: Set<string>,
  problems: ObjectProblem[],
): TrackedConfigChange[] {
  const keys = new Set([
    ...Object.keys(current),
    ...Object.keys(previous ?? {}),
  ]);
  const changes: TrackedConfigChange[] = [];
  for (const key of keys) {
    const parsed = parseKey(key);
    if (!parsed) {
      problems.push({
        field: `trackedConfigs['${key}']`,
        message: 'expected configmap/<name> or secret/<name>',
      });
      continue;
    }
    const from = previous?.[key];
    const to = current[key];
    changes.push({
      ...parsed,
      change: kindOf(key, current, previous, primaryKeys),
      ...(from !== undefined ? { fromChecksum: from } : {}),
      ...(to !== undefined ? { toChecksum: to } : {}),
    });
  }
  return changes.sort(
    (a, b) => compareText(a.kind, b.kind) || compareText(a.name, b.name),
  );
}
