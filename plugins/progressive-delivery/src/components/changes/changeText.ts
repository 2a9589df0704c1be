// Words for what changed in a rollout (RolloutChanges of the backend): short, one line each.
import {
  ContainerChange,
  EnvFromChange,
  EnvVarChange,
  EnvVarValue,
  FieldChange,
  GitHostKind,
  ResourceChange,
  RolloutChanges,
  RolloutSourceChange,
  TrackedConfigChange,
} from '@progressive-delivery/plugin-progressive-delivery-common';

/** Longest value shown in full; longer ones are cut. */
export const MAX_VALUE = 80;

export function shorten(text: string, max = MAX_VALUE): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `repo:tag@digest` -> its repository and its tag or digest part. */
function splitImage(image: string): { repository: string; version: string } {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const tagged = colon > slash;
  const repository = tagged ? named.slice(0, colon) : named;
  const version = image.slice(repository.length);
  return { repository, version: version.replace(/^:/, '') };
}

/**
 * An image change in words: `repo 6.7.0 → 6.7.1` when only the tag or digest moved, else
 * `from → to`; `added: to` / `removed: from`.
 */
export function imageText(image: { from?: string; to?: string }): string {
  const { from, to } = image;
  if (from && to) {
    const a = splitImage(from);
    const b = splitImage(to);
    if (a.repository === b.repository && a.version && b.version) {
      return `${a.repository} ${a.version} → ${b.version}`;
    }
    return `${from} → ${to}`;
  }
  return to ? `added: ${to}` : `removed: ${from ?? ''}`;
}

/** Where an environment variable's value comes from; a Secret's key, never its value. */
export function envValueText(value: EnvVarValue | undefined): string {
  if (!value) {
    return '';
  }
  switch (value.source) {
    case 'value':
      return `"${shorten(value.value)}"`;
    case 'configMapKeyRef':
      return `ConfigMap ${value.name}, key ${value.key}`;
    case 'secretKeyRef':
      return `Secret ${value.name}, key ${value.key}`;
    case 'fieldRef':
      return `field ${value.fieldPath}`;
    case 'resourceFieldRef':
      return `resource ${value.resource}${
        value.containerName ? ` of ${value.containerName}` : ''
      }`;
    default:
      return `from ${value.kinds.join(', ')}`;
  }
}

function changeLine(
  name: string,
  change: string,
  from: string | undefined,
  to: string | undefined,
): string {
  if (change === 'added') {
    return `${name} added: ${to ?? ''}`;
  }
  if (change === 'removed') {
    return `${name} removed (was ${from ?? ''})`;
  }
  return `${name}: ${from ?? ''} → ${to ?? ''}`;
}

export function envText(change: EnvVarChange): string {
  return changeLine(
    `env ${change.name}`,
    change.change,
    envValueText(change.from),
    envValueText(change.to),
  );
}

export function envFromText(change: EnvFromChange): string {
  const what = `${change.kind === 'unknown' ? 'source' : change.kind} ${
    change.name
  }${change.prefix ? ` (prefix ${change.prefix})` : ''}`;
  return `envFrom ${what} ${change.change}`;
}

export function resourceText(change: ResourceChange): string {
  return changeLine(
    `${change.type}.${change.resource}`,
    change.change,
    change.from,
    change.to,
  );
}

export function fieldText(change: FieldChange): string {
  return changeLine(
    change.field,
    change.change,
    change.from && shorten(change.from),
    change.to && shorten(change.to),
  );
}

/** Every line of a container's changes other than its image. */
export function containerLines(container: ContainerChange): string[] {
  return [
    ...container.env.map(envText),
    ...container.envFrom.map(envFromText),
    ...container.resources.map(resourceText),
    ...container.fields.map(fieldText),
  ];
}

const CONFIG_TEXT: Record<TrackedConfigChange['change'], string> = {
  added: 'newly tracked',
  removed: 'no longer tracked',
  changed: 'content changed',
  unchanged: 'unchanged',
  unknown: 'tracked; whether it changed is not known',
};

export function configText(config: TrackedConfigChange): string {
  return `${config.kind} ${config.name}: ${CONFIG_TEXT[config.change]}`;
}

/** Flagger's checksums of a tracked config, for a tooltip (never its data). */
export function checksumText(config: TrackedConfigChange): string | undefined {
  const { fromChecksum: from, toChecksum: to } = config;
  if (from && to && from !== to) {
    return `checksum ${from} → ${to}`;
  }
  return from || to ? `checksum ${to ?? from}` : undefined;
}

const HOST_TEXT: Record<GitHostKind, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
};

/** The compare link's text and address, when it is a web address. */
export function compareLink(
  source: RolloutSourceChange | undefined,
): { text: string; url: string } | undefined {
  const url = source?.compareUrl;
  if (!url || !/^https?:\/\//i.test(url)) {
    return undefined;
  }
  const host = source.hostKind ? HOST_TEXT[source.hostKind] : 'the forge';
  return { text: `Compare on ${host}`, url };
}

/** A Flux revision, its commit shortened: `main@sha1:8d6a0b3c…` -> `main@8d6a0b3`. */
export function revisionText(revision: string | undefined): string {
  if (!revision) {
    return '?';
  }
  const match = /^(.*)@sha1:([0-9a-f]{7})[0-9a-f]*$/.exec(revision);
  return match ? `${match[1]}@${match[2]}` : shorten(revision, 40);
}

/** Whether the changes say anything at all. */
export function hasChanges(changes: RolloutChanges): boolean {
  return (
    changes.containers.length > 0 ||
    changes.podTemplate.length > 0 ||
    changes.configs.some(c => c.change !== 'unchanged')
  );
}
