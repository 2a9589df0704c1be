import { Canary } from './model';

/** `<namespace>/<name>`: the key of a canary's job and gauges. */
export function canaryKey(cd: Canary): string {
  return `${cd.metadata.namespace}/${cd.metadata.name}`;
}

/** `<name>.<namespace>`: how Flagger names a canary in its messages. */
export function canaryId(cd: Canary): string {
  return `${cd.metadata.name}.${cd.metadata.namespace}`;
}

/** `<target>.<namespace>`: how Flagger names the target in its messages. */
export function targetId(cd: Canary): string {
  return `${cd.spec.targetRef.name}.${cd.metadata.namespace}`;
}

/** `<target>-primary`: the Deployment Flagger promotes into. */
export function primaryName(cd: Canary): string {
  return `${cd.spec.targetRef.name}-primary`;
}
