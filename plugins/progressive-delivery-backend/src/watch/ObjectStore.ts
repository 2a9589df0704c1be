import {
  isRecord,
  KubeObject,
  readCanaryTargetRef,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { projectObject } from './projectObject';
import {
  ChangeListener,
  ChangeNotifier,
  ChangeSource,
  ObjectSink,
} from './types';

/**
 * The objects under one index key. Most keys (an object's own label value, its owner, the
 * workload a canary targets) hold one object, kept as it is; a handful are an array (cheaper
 * than a Set until it grows), more a Set.
 */
type Members = KubeObject | KubeObject[] | Set<KubeObject>;

const MAX_ARRAY_MEMBERS = 16;

const isList = (members: Members): members is KubeObject[] =>
  Array.isArray(members);

/** A single member as it is kept: a malformed object that is an array is wrapped. */
const single = (object: KubeObject): Members =>
  Array.isArray(object) ? [object] : object;

/** Members plus the object, or undefined when it is already there. */
function withMember(members: Members, object: KubeObject): Members | undefined {
  if (members instanceof Set) {
    return members.has(object) ? undefined : members.add(object);
  }
  if (!isList(members)) {
    return members === object ? undefined : [members, object];
  }
  if (members.includes(object)) {
    return undefined;
  }
  // A new array of the exact length: push would reserve room for 16 more.
  return members.length < MAX_ARRAY_MEMBERS
    ? members.concat([object])
    : new Set([...members, object]);
}

/** Members without the object, keeping the others in order; undefined when none remain. */
function withoutMember(
  members: Members,
  object: KubeObject,
): Members | undefined {
  if (members instanceof Set) {
    members.delete(object);
    return members.size > 0 ? members : undefined;
  }
  if (!isList(members)) {
    return members === object ? undefined : members;
  }
  const at = members.indexOf(object);
  if (at === -1) {
    return members;
  }
  const rest = members.slice(0, at).concat(members.slice(at + 1));
  if (rest.length === 0) {
    return undefined;
  }
  return rest.length === 1 ? single(rest[0]) : rest;
}

function* eachMember(members: Members | undefined): Iterable<KubeObject> {
  if (members === undefined) {
    return;
  }
  if (members instanceof Set || isList(members)) {
    yield* members;
  } else {
    yield members;
  }
}

/**
 * Objects by a key in two parts: a group that many objects share (a cluster's label key, an
 * owner's kind in a namespace) and a last part the object itself holds (a label's value, its
 * owner's name), kept as the object's own string: the index makes no key string per object.
 */
class TwoPartIndex<T> {
  private readonly groups = new Map<string, Map<string, T>>();

  get(group: string, last: string): T | undefined {
    return this.groups.get(group)?.get(last);
  }

  /** Sets, or with `undefined` deletes, the value under the key. */
  set(group: string, last: string, value: T | undefined): void {
    let lasts = this.groups.get(group);
    if (value === undefined) {
      if (lasts?.delete(last) && lasts.size === 0) {
        this.groups.delete(group);
      }
      return;
    }
    if (!lasts) {
      lasts = new Map();
      this.groups.set(group, lasts);
    }
    lasts.set(last, value);
  }
}

/**
 * The objects themselves: cluster and kind, then namespace, then name. Listing a kind or a
 * namespace reads these maps, so no index holds every object a second and third time.
 */
class ObjectsByKey {
  private readonly kinds = new Map<
    string,
    Map<string, Map<string, KubeObject>>
  >();

  get(
    clusterKind: string,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    return this.kinds.get(clusterKind)?.get(namespace)?.get(name);
  }

  /** Stores the object last in its namespace's order (a changed object comes last). */
  set(
    clusterKind: string,
    namespace: string,
    name: string,
    object: KubeObject,
  ): void {
    let namespaces = this.kinds.get(clusterKind);
    if (!namespaces) {
      namespaces = new Map();
      this.kinds.set(clusterKind, namespaces);
    }
    let names = namespaces.get(namespace);
    if (!names) {
      names = new Map();
      namespaces.set(namespace, names);
    }
    names.delete(name);
    names.set(name, object);
  }

  delete(clusterKind: string, namespace: string, name: string): void {
    const namespaces = this.kinds.get(clusterKind);
    const names = namespaces?.get(namespace);
    if (!namespaces || !names?.delete(name) || names.size > 0) {
      return;
    }
    namespaces.delete(namespace);
    if (namespaces.size === 0) {
      this.kinds.delete(clusterKind);
    }
  }

  list(clusterKind: string, namespace?: string): KubeObject[] {
    const namespaces = this.kinds.get(clusterKind);
    if (namespace !== undefined) {
      const names = namespaces?.get(namespace);
      return names ? [...names.values()] : [];
    }
    const all: KubeObject[] = [];
    namespaces?.forEach(names => names.forEach(object => all.push(object)));
    return all;
  }

  size(clusterKind: string): number {
    let size = 0;
    this.kinds.get(clusterKind)?.forEach(names => {
      size += names.size;
    });
    return size;
  }
}

interface ObjectKey {
  clusterKind: string;
  namespace: string;
  name: string;
}

const SEP = '\u0000';
const k = (...parts: string[]) => parts.join(SEP);
/** A key part from an object's field: a malformed value becomes its string. */
const part = (value: unknown) =>
  typeof value === 'string' ? value : String(value);

/** The index keys of an object: `[group, last]`. */
function indexKeysOf(
  cluster: string,
  object: KubeObject,
): Array<[string, string]> {
  const kind = object.kind ?? '';
  const namespace = object.metadata?.namespace ?? '';
  const keys: Array<[string, string]> = [];
  const labels = isRecord(object.metadata?.labels)
    ? object.metadata!.labels
    : {};
  for (const [label, value] of Object.entries(labels)) {
    keys.push([k('label', cluster, label), part(value)]);
  }
  // A malformed object must not make the whole list fail.
  const owners = object.metadata?.ownerReferences;
  for (const owner of Array.isArray(owners) ? owners : []) {
    if (owner?.kind && owner.name) {
      keys.push([k('owner', cluster, namespace, owner.kind), part(owner.name)]);
    }
  }
  const targetRef = kind === 'Canary' ? readCanaryTargetRef(object) : undefined;
  if (targetRef) {
    keys.push([
      k('target', cluster, namespace, targetRef.kind),
      part(targetRef.name),
    ]);
  }
  return keys;
}

/**
 * The in-memory copy of every watched object, cut down to what the plugin reads of it (see
 * projectObject), stored by cluster and kind, namespace and name (which lists a kind or a
 * namespace), with indexes so that resolving an entity never scans a whole cluster: by label,
 * owner reference and canary target. The indexes see the projected objects: labels only of the
 * kinds entities select, owner references only of the objects Flagger generates.
 */
export class ObjectStore implements ObjectSink, ChangeSource {
  private readonly objects = new ObjectsByKey();
  /** Label, owner and canary target -> the objects under it. */
  private readonly index = new TwoPartIndex<Members>();
  private readonly notifier = new ChangeNotifier();

  subscribe(listener: ChangeListener): () => void {
    return this.notifier.subscribe(listener);
  }

  replace(cluster: string, kind: string, objects: KubeObject[]): void {
    const seen = new Set<string>();
    for (const object of objects) {
      const key = this.keyOf(cluster, object);
      seen.add(k(key.namespace, key.name));
      this.upsert(cluster, object);
    }
    for (const object of this.objects.list(k(cluster, kind))) {
      const key = this.keyOf(cluster, object);
      if (!seen.has(k(key.namespace, key.name))) {
        this.remove(cluster, key);
      }
    }
  }

  upsert(cluster: string, raw: KubeObject): void {
    const { clusterKind, namespace, name } = this.keyOf(cluster, raw);
    const existing = this.objects.get(clusterKind, namespace, name);
    const version = raw.metadata?.resourceVersion;
    if (existing && version && existing.metadata?.resourceVersion === version) {
      return;
    }
    if (existing) {
      this.unindex(cluster, existing);
    }
    const object = projectObject(raw);
    // The stored object's own strings (interned), not the caller's.
    const stored = this.keyOf(cluster, object);
    this.objects.set(clusterKind, stored.namespace, stored.name, object);
    for (const [indexGroup, last] of indexKeysOf(cluster, object)) {
      const members = this.index.get(indexGroup, last);
      // An object may name a key twice (two owner references to one owner).
      const added = members ? withMember(members, object) : single(object);
      if (added && added !== members) {
        this.index.set(indexGroup, last, added);
      }
    }
    this.notify('upsert', cluster, object);
  }

  delete(cluster: string, object: KubeObject): void {
    this.remove(cluster, this.keyOf(cluster, object));
  }

  get(
    cluster: string,
    kind: string,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    return this.objects.get(k(cluster, kind), namespace, name);
  }

  list(cluster: string, kind: string, namespace?: string): KubeObject[] {
    return this.objects.list(k(cluster, kind), namespace);
  }

  /** Objects carrying the label `key=value` (of the kinds whose labels are kept). */
  byLabel(cluster: string, key: string, value: string): KubeObject[] {
    return this.lookup(k('label', cluster, key), value);
  }

  /** Objects in `namespace` with an owner reference to `ownerKind/ownerName`. */
  byOwner(
    cluster: string,
    namespace: string,
    ownerKind: string,
    ownerName: string,
  ): KubeObject[] {
    return this.lookup(k('owner', cluster, namespace, ownerKind), ownerName);
  }

  /** Canaries whose `spec.targetRef` names the workload. */
  canariesTargeting(
    cluster: string,
    namespace: string,
    kind: string,
    name: string,
  ): KubeObject[] {
    return this.lookup(k('target', cluster, namespace, kind), name);
  }

  size(cluster: string, kind: string): number {
    return this.objects.size(k(cluster, kind));
  }

  private lookup(group: string, last: string): KubeObject[] {
    return [...eachMember(this.index.get(group, last))];
  }

  /** Where the object is stored. */
  private keyOf(cluster: string, object: KubeObject): ObjectKey {
    return {
      clusterKind: k(cluster, object.kind ?? ''),
      namespace: part(object.metadata?.namespace ?? ''),
      name: part(object.metadata?.name ?? ''),
    };
  }

  private remove(cluster: string, key: ObjectKey): void {
    const { clusterKind, namespace, name } = key;
    const object = this.objects.get(clusterKind, namespace, name);
    if (!object) {
      return;
    }
    this.unindex(cluster, object);
    this.objects.delete(clusterKind, namespace, name);
    this.notify('delete', cluster, object);
  }

  /** The stored object's index keys are made again from it: it never changes while stored. */
  private unindex(cluster: string, object: KubeObject): void {
    for (const [group, last] of indexKeysOf(cluster, object)) {
      const members = this.index.get(group, last);
      if (members !== undefined) {
        const rest = withoutMember(members, object);
        if (rest !== members) {
          this.index.set(group, last, rest);
        }
      }
    }
  }

  private notify(
    type: 'upsert' | 'delete',
    cluster: string,
    object: KubeObject,
  ): void {
    this.notifier.emit({
      type,
      cluster,
      kind: object.kind ?? '',
      namespace: object.metadata?.namespace ?? '',
      name: object.metadata?.name ?? '',
      object,
    });
  }
}
