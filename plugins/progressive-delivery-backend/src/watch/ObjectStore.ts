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
 * The objects under one index key. The key string is made once, when the first object needs
 * it, and the entries point at the bucket: they do not hold copies of their keys.
 */
interface Bucket {
  key: string;
  /** Most keys hold a handful of objects: an array costs less than a Set until it grows. */
  members: Entry[] | Set<Entry>;
}

const MAX_ARRAY_MEMBERS = 16;

/** Adds the entry; false when it is already there. */
function addMember(bucket: Bucket, entry: Entry): boolean {
  const members = bucket.members;
  if (members instanceof Set) {
    if (members.has(entry)) {
      return false;
    }
    members.add(entry);
    return true;
  }
  if (members.includes(entry)) {
    return false;
  }
  if (members.length < MAX_ARRAY_MEMBERS) {
    // A new array of the exact length: push would reserve room for 16 more.
    bucket.members = members.concat([entry]);
  } else {
    bucket.members = new Set([...members, entry]);
  }
  return true;
}

/** Removes the entry, keeping the others in order; answers how many remain. */
function deleteMember(bucket: Bucket, entry: Entry): number {
  const members = bucket.members;
  if (members instanceof Set) {
    members.delete(entry);
    return members.size;
  }
  const at = members.indexOf(entry);
  if (at !== -1) {
    bucket.members = members.slice(0, at).concat(members.slice(at + 1));
  }
  return bucket.members instanceof Set ? 0 : bucket.members.length;
}

const memberCount = (bucket: Bucket) =>
  bucket.members instanceof Set ? bucket.members.size : bucket.members.length;

interface Entry {
  key: string;
  cluster: string;
  object: KubeObject;
  buckets: Bucket[];
}

const SEP = '\u0000';
const k = (...parts: string[]) => parts.join(SEP);

function indexKeysOf(cluster: string, object: KubeObject): string[] {
  const kind = object.kind ?? '';
  const namespace = object.metadata?.namespace ?? '';
  const keys = [k('kind', cluster, kind), k('ns', cluster, kind, namespace)];
  const labels = isRecord(object.metadata?.labels)
    ? object.metadata!.labels
    : {};
  for (const [label, value] of Object.entries(labels)) {
    keys.push(k('label', cluster, label, value));
  }
  // A malformed object must not make the whole list fail.
  const owners = object.metadata?.ownerReferences;
  for (const owner of Array.isArray(owners) ? owners : []) {
    if (owner?.kind && owner.name) {
      keys.push(k('owner', cluster, namespace, owner.kind, owner.name));
    }
  }
  const targetRef = kind === 'Canary' ? readCanaryTargetRef(object) : undefined;
  if (targetRef) {
    keys.push(k('target', cluster, namespace, targetRef.kind, targetRef.name));
  }
  return keys;
}

/**
 * The in-memory copy of every watched object, cut down to what the plugin reads of it (see
 * projectObject), with indexes so that resolving an entity never scans a whole cluster: by kind,
 * namespace, label, owner reference and canary target. The indexes see the
 * projected objects: labels only of the kinds entities select, owner references only of the
 * objects Flagger generates.
 */
export class ObjectStore implements ObjectSink, ChangeSource {
  private readonly entries = new Map<string, Entry>();
  private readonly index = new Map<string, Bucket>();
  private readonly notifier = new ChangeNotifier();

  subscribe(listener: ChangeListener): () => void {
    return this.notifier.subscribe(listener);
  }

  replace(cluster: string, kind: string, objects: KubeObject[]): void {
    const seen = new Set<string>();
    for (const object of objects) {
      seen.add(this.keyOf(cluster, object));
      this.upsert(cluster, object);
    }
    const all = this.index.get(k('kind', cluster, kind))?.members ?? [];
    for (const entry of [...all]) {
      if (!seen.has(entry.key)) {
        this.remove(entry.key);
      }
    }
  }

  upsert(cluster: string, raw: KubeObject): void {
    const key = this.keyOf(cluster, raw);
    const existing = this.entries.get(key);
    const version = raw.metadata?.resourceVersion;
    if (
      existing &&
      version &&
      existing.object.metadata?.resourceVersion === version
    ) {
      return;
    }
    if (existing) {
      this.unindex(existing);
    }
    const object = projectObject(raw);
    const entry: Entry = {
      // The existing key string, so that every version of an object shares one.
      key: existing?.key ?? key,
      cluster,
      object,
      buckets: [],
    };
    const buckets: Bucket[] = [];
    for (const indexKey of indexKeysOf(cluster, object)) {
      let bucket = this.index.get(indexKey);
      if (!bucket) {
        bucket = { key: indexKey, members: [] };
        this.index.set(indexKey, bucket);
      }
      // An object may name a key twice (two owner references to one owner).
      if (addMember(bucket, entry)) {
        buckets.push(bucket);
      }
    }
    // A copy of the exact length: the pushed-to array has room for 16 more.
    entry.buckets = buckets.slice();
    this.entries.set(entry.key, entry);
    this.notify('upsert', cluster, object);
  }

  delete(cluster: string, object: KubeObject): void {
    this.remove(this.keyOf(cluster, object));
  }

  get(
    cluster: string,
    kind: string,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    return this.entries.get(k(cluster, kind, namespace, name))?.object;
  }

  list(cluster: string, kind: string, namespace?: string): KubeObject[] {
    return this.lookup(
      namespace === undefined
        ? k('kind', cluster, kind)
        : k('ns', cluster, kind, namespace),
    );
  }

  /** Objects carrying the label `key=value` (of the kinds whose labels are kept). */
  byLabel(cluster: string, key: string, value: string): KubeObject[] {
    return this.lookup(k('label', cluster, key, value));
  }

  /** Objects in `namespace` with an owner reference to `ownerKind/ownerName`. */
  byOwner(
    cluster: string,
    namespace: string,
    ownerKind: string,
    ownerName: string,
  ): KubeObject[] {
    return this.lookup(k('owner', cluster, namespace, ownerKind, ownerName));
  }

  /** Canaries whose `spec.targetRef` names the workload. */
  canariesTargeting(
    cluster: string,
    namespace: string,
    kind: string,
    name: string,
  ): KubeObject[] {
    return this.lookup(k('target', cluster, namespace, kind, name));
  }

  size(cluster: string, kind: string): number {
    const bucket = this.index.get(k('kind', cluster, kind));
    return bucket ? memberCount(bucket) : 0;
  }

  private lookup(indexKey: string): KubeObject[] {
    const bucket = this.index.get(indexKey);
    if (!bucket) {
      return [];
    }
    const result: KubeObject[] = [];
    for (const entry of bucket.members) {
      result.push(entry.object);
    }
    return result;
  }

  private keyOf(cluster: string, object: KubeObject): string {
    return k(
      cluster,
      object.kind ?? '',
      object.metadata?.namespace ?? '',
      object.metadata?.name ?? '',
    );
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) {
      return;
    }
    this.unindex(entry);
    this.entries.delete(key);
    this.notify('delete', entry.cluster, entry.object);
  }

  private unindex(entry: Entry): void {
    for (const bucket of entry.buckets) {
      if (deleteMember(bucket, entry) === 0) {
        this.index.delete(bucket.key);
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
