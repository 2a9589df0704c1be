// The pod template outside the containers: labels, annotations, volumes and the other pod spec
// fields (serviceAccountName, affinity, tolerations, ...).
import { FieldChange } from '../../apiWhatChanged';
import { UnknownRecord, asArray, asRecord, asString } from '../read';
import { compareText, recordChanges } from './values';

/** Flux's marker: Flagger drops such labels and annotations from the primary (util.go). */
const TOOLKIT_MARKER = 'toolkit.fluxcd.io';

/**
 * Annotations that are not part of a revision: Flagger's random `flagger-id` (makeAnnotations,
 * new on every promotion) and kubectl's copy of the last applied object.
 * `kubectl.kubernetes.io/restartedAt` is kept: it is the whole change of a `kubectl rollout
 * restart`, which Flagger analyses like any other revision.
 */
const IGNORED_ANNOTATIONS = new Set([
  'flagger-id',
  'kubectl.kubernetes.io/last-applied-configuration',
]);

/** Pod spec fields compared elsewhere (containers) or per entry (volumes). */
const SPEC_COMPARED_ELSEWHERE = new Set([
  'containers',
  'initContainers',
  'ephemeralContainers',
  'volumes',
]);

function metadata(template: UnknownRecord, key: string) {
  return asRecord(asRecord(template.metadata)?.[key]);
}

function volumesByName(spec: UnknownRecord | undefined): UnknownRecord {
  const result: UnknownRecord = {};
  (asArray(spec?.volumes) ?? []).forEach((entry, i) => {
    const volume = asRecord(entry);
    result[asString(volume?.name) ?? `#${i}`] = entry;
  });
  return result;
}

/**
 * The changes of the pod template outside its containers, from the primary's (normalised, see
 * primaryTemplate.ts) to the target's, sorted by field.
 */
export function podTemplateChanges(
  primary: UnknownRecord,
  target: UnknownRecord,
): FieldChange[] {
  const labels = recordChanges(
    metadata(primary, 'labels'),
    metadata(target, 'labels'),
    key => `metadata.labels['${key}']`,
    key => key.includes(TOOLKIT_MARKER),
  );
  const annotations = recordChanges(
    metadata(primary, 'annotations'),
    metadata(target, 'annotations'),
    key => `metadata.annotations['${key}']`,
    key => key.includes(TOOLKIT_MARKER) || IGNORED_ANNOTATIONS.has(key),
  );
  const primarySpec = asRecord(primary.spec);
  const targetSpec = asRecord(target.spec);
  const volumes = recordChanges(
    volumesByName(primarySpec),
    volumesByName(targetSpec),
    name => `spec.volumes['${name}']`,
  );
  const spec = recordChanges(
    primarySpec,
    targetSpec,
    key => `spec.${key}`,
    key => SPEC_COMPARED_ELSEWHERE.has(key),
  );
  return [...labels, ...annotations, ...volumes, ...spec].sort((a, b) =>
    compareText(a.field, b.field),
  );
}
