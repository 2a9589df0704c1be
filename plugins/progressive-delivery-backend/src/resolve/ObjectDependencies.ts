import {
  isRecord,
  KubeObject,
  readCanaryTargetRef,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { ObjectChange } from '../watch/types';

/** What a resolution reads of the object store. */
export type ResolverStore = Pick<
  ObjectStore,
  'get' | 'list' | 'byLabel' | 'byOwner' | 'canariesTargeting'
>;

/** What a resolution reads of the event history. */
export type ResolverEvents = Pick<EventHistory, 'eventsFor'>;

/*
 * A resolution's dependencies are keys of what it read: each object it asked for by name or got
 * from an index (whether or not it kept it), and each index it looked in. A change touches a
 * resolution when the changed object is one of those objects, or would now be found in one of
 * those indexes: the store's indexes by kind, namespace, label, owner and canary target (see
 * watch/ObjectStore), read from the stored object the change carries. The keys are made here on
 * both sides, so they only need to agree with each other.
 */
const SEP = '\u0000';
const key = (...parts: string[]) => parts.join(SEP);

/** The dependency on one object (Flagger's events of a canary: kind `Event`, the canary's name). */
export const objectDependency = (
  cluster: string,
  kind: string,
  namespace: string,
  name: string,
): string => key('o', cluster, kind, namespace, name);

const listDependency = (cluster: string, kind: string, namespace?: string) =>
  namespace === undefined
    ? key('list', cluster, kind)
    : key('list', cluster, kind, namespace);
const labelDependency = (cluster: string, label: string, value: string) =>
  key('label', cluster, label, value);
const ownerDependency = (
  cluster: string,
  namespace: string,
  ownerKind: string,
  ownerName: string,
) => key('owner', cluster, namespace, ownerKind, ownerName);
const targetDependency = (
  cluster: string,
  namespace: string,
  kind: string,
  name: string,
) => key('target', cluster, namespace, kind, name);

/** The dependencies a change matches: the object's own, and the indexes that list it. */
export function changeDependencies(change: ObjectChange): string[] {
  const { cluster, kind, namespace, name, object } = change;
  const keys = [
    objectDependency(cluster, kind, namespace, name),
    listDependency(cluster, kind),
    listDependency(cluster, kind, namespace),
  ];
  const labels = object?.metadata?.labels;
  if (isRecord(labels)) {
    for (const [label, value] of Object.entries(labels)) {
      keys.push(labelDependency(cluster, label, String(value)));
    }
  }
  const owners = object?.metadata?.ownerReferences;
  for (const owner of Array.isArray(owners) ? owners : []) {
    if (owner?.kind && owner.name) {
      keys.push(ownerDependency(cluster, namespace, owner.kind, owner.name));
    }
  }
  const target =
    object && kind === 'Canary' ? readCanaryTargetRef(object) : undefined;
  if (target) {
    keys.push(targetDependency(cluster, namespace, target.kind, target.name));
  }
  return keys;
}

/** The store, recording into `into` what is read of it. */
export function recordingStore(
  store: ResolverStore,
  into: Set<string>,
): ResolverStore {
  const found = (cluster: string, objects: KubeObject[]) => {
    for (const o of objects) {
      into.add(
        objectDependency(
          cluster,
          o.kind ?? '',
          o.metadata?.namespace ?? '',
          o.metadata?.name ?? '',
        ),
      );
    }
    return objects;
  };
  return {
    get: (cluster, kind, namespace, name) => {
      into.add(objectDependency(cluster, kind, namespace, name));
      return store.get(cluster, kind, namespace, name);
    },
    list: (cluster, kind, namespace) => {
      into.add(listDependency(cluster, kind, namespace));
      return found(cluster, store.list(cluster, kind, namespace));
    },
    byLabel: (cluster, label, value) => {
      into.add(labelDependency(cluster, label, value));
      return found(cluster, store.byLabel(cluster, label, value));
    },
    byOwner: (cluster, namespace, ownerKind, ownerName) => {
      into.add(ownerDependency(cluster, namespace, ownerKind, ownerName));
      return found(
        cluster,
        store.byOwner(cluster, namespace, ownerKind, ownerName),
      );
    },
    canariesTargeting: (cluster, namespace, kind, name) => {
      into.add(targetDependency(cluster, namespace, kind, name));
      return found(
        cluster,
        store.canariesTargeting(cluster, namespace, kind, name),
      );
    },
  };
}

/** The event history, recording into `into` whose events are read. */
export function recordingEvents(
  events: ResolverEvents,
  into: Set<string>,
): ResolverEvents {
  return {
    eventsFor: (cluster, namespace, name) => {
      into.add(objectDependency(cluster, 'Event', namespace, name));
      return events.eventsFor(cluster, namespace, name);
    },
  };
}
