// "What changed" in a rollout: the differences between the revision Flagger promoted (the
// `<target>-primary` workload) and the one under analysis (the target workload), the ConfigMaps
// and Secrets Flagger tracks, and the Git range behind it. Plain JSON, so a rollout record can
// keep it. Secret values never appear: only names, keys and Flagger's checksums.
import type { ObjectProblem } from './api';

/**
 * How one item differs between the promoted revision and the one under analysis.
 *
 * @public
 */
export type ChangeKind = 'added' | 'removed' | 'changed';

/**
 * A changed field, values rendered as text: a string as is, anything else as compact JSON with
 * sorted keys. Absent `from`: the field was added; absent `to`: removed.
 *
 * @public
 */
export interface FieldChange {
  /** E.g. `spec.serviceAccountName`, `metadata.annotations['prometheus.io/port']`, `command`. */
  field: string;
  change: ChangeKind;
  from?: string;
  to?: string;
}

/**
 * Where an environment variable's value comes from. A `secretKeyRef` names the Secret and key
 * only; its value is never read.
 *
 * @public
 */
export type EnvVarValue =
  | { source: 'value'; value: string }
  | { source: 'configMapKeyRef'; name: string; key: string; optional?: boolean }
  | { source: 'secretKeyRef'; name: string; key: string; optional?: boolean }
  | { source: 'fieldRef'; fieldPath: string }
  | {
      source: 'resourceFieldRef';
      resource: string;
      containerName?: string;
      divisor?: string;
    }
  | {
      source: 'other';
      /** The `valueFrom` field names, e.g. `fileKeyRef`; never their contents. */
      kinds: string[];
    };

/**
 * A changed environment variable of a container (`env`, by name).
 *
 * @public
 */
export interface EnvVarChange {
  name: string;
  change: ChangeKind;
  from?: EnvVarValue;
  to?: EnvVarValue;
}

/**
 * An `envFrom` source added or removed.
 *
 * @public
 */
export interface EnvFromChange {
  change: 'added' | 'removed';
  kind: 'ConfigMap' | 'Secret' | 'unknown';
  name: string;
  prefix?: string;
  optional?: boolean;
}

/**
 * A changed resource request or limit (`cpu`, `memory`, ...). Quantities compare by value
 * (`1000m` equals `1`) and are shown as written.
 *
 * @public
 */
export interface ResourceChange {
  type: 'requests' | 'limits';
  resource: string;
  change: ChangeKind;
  from?: string;
  to?: string;
}

/**
 * A container (or init container) that differs. For an added or removed container only the
 * image is given.
 *
 * @public
 */
export interface ContainerChange {
  /** The container name; `initContainers[0]`-style when the container has none. */
  name: string;
  init: boolean;
  change: ChangeKind;
  image?: { from?: string; to?: string };
  env: EnvVarChange[];
  envFrom: EnvFromChange[];
  resources: ResourceChange[];
  /** Other container fields (`command`, `args`, `ports`, probes, `volumeMounts`, ...). */
  fields: FieldChange[];
}

/**
 * How a ConfigMap or Secret Flagger tracks changed between the rollouts:
 * - `added` / `removed`: tracked now and not before, or the other way round;
 * - `changed` / `unchanged`: Flagger's checksum of its data differs / is the same;
 * - `unknown`: tracked by both revisions, but the promoted revision's checksum was not given
 *   (Flagger keeps only the current checksums in `status.trackedConfigs`).
 *
 * @public
 */
export type TrackedConfigChangeKind =
  | 'added'
  | 'removed'
  | 'changed'
  | 'unchanged'
  | 'unknown';

/**
 * A ConfigMap or Secret the canary tracks (Flagger `status.trackedConfigs`, keyed
 * `configmap/<name>` or `secret/<name>`). The checksums are Flagger's: the first 8 bytes of the
 * SHA-256 of the JSON of the object's `data`, in hex. Never a value.
 *
 * @public
 */
export interface TrackedConfigChange {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  change: TrackedConfigChangeKind;
  fromChecksum?: string;
  toChecksum?: string;
}

/**
 * The tracked configs as Flagger's `status.trackedConfigs` holds them: `configmap/<name>` or
 * `secret/<name>` -> checksum. A rollout record keeps this to compare with the next rollout.
 *
 * @public
 */
export type TrackedConfigs = Record<string, string>;

/**
 * The Git forge a host serves, for compare links.
 *
 * @public
 */
export type GitHostKind = 'github' | 'gitlab';

/**
 * A link to the forge's compare view between two commits, or why there is none.
 *
 * @public
 */
export interface GitCompareLink {
  /** The repository's web address (no credentials), when the URL could be read. */
  repositoryUrl?: string;
  host?: string;
  hostKind?: GitHostKind;
  fromCommit?: string;
  toCommit?: string;
  compareUrl?: string;
  /** Why there is no `compareUrl`. */
  reason?: string;
}

/**
 * The Flux source revisions behind a rollout.
 *
 * @public
 */
export interface RolloutSourceChange {
  /** The source object's kind, e.g. `GitRepository`. */
  kind?: string;
  namespace?: string;
  name?: string;
  /** `spec.url` without credentials. */
  url?: string;
  /** The Flux revision promoted before (e.g. `main@sha1:…`), when recorded. */
  fromRevision?: string;
  /** The Flux revision under analysis. */
  toRevision?: string;
  hostKind?: GitHostKind;
  fromCommit?: string;
  toCommit?: string;
  compareUrl?: string;
  /** Why there is no `compareUrl`. */
  reason?: string;
}

/**
 * What differs between the promoted revision (`<target>-primary`) and the one under analysis
 * (the target), after undoing Flagger's own rewrites of the primary (selector label
 * `-primary` values, `-primary` copies of tracked ConfigMaps and Secrets, the `flagger-id`
 * annotation, anti-affinity and topology spread selectors). Every list is in a fixed order.
 *
 * @public
 */
export interface RolloutChanges {
  /** Containers first (target order, then removed ones), then init containers. */
  containers: ContainerChange[];
  /** Pod template labels, annotations, volumes and other pod spec fields, sorted by field. */
  podTemplate: FieldChange[];
  /** Tracked ConfigMaps then Secrets, by name. */
  configs: TrackedConfigChange[];
  /** `previousRollout`: checksums compared with the promoted rollout's; `status`: only the
   *  canary's current checksums were known. */
  configsBasis: 'previousRollout' | 'status';
  source?: RolloutSourceChange;
  /** Explanations of what could not be said, e.g. no tracked configs reported. */
  notes: string[];
  /** Malformed or missing input. */
  problems: ObjectProblem[];
}
