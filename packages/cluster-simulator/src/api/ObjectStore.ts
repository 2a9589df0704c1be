import { Clock } from '../clock';
import { KubeObject, StoreEvent, WatchEventType } from '../types';
import { ResourceRegistry, ResourceType, resourceKey } from './resources';
import { Errors } from './status';
import { getOrCreate } from '../util/getOrCreate';

/** One stored object with its pre-serialised body. */
export interface StoredEntry {
  object: KubeObject;
  /** JSON without apiVersion/kind (see StoreEvent.body). */
  body: string;
  /** JSON of everything but metadata and status, to detect generation changes. */
  spec: string;
  resourceVersion: number;
}

export type StoreListener = (event: StoreEvent) => void;

export interface ObjectStoreOptions {
  registry: ResourceRegistry;
  clock: Clock;
  /** How many changes are kept for watches that resume from a resourceVersion. */
  historyLimit?: number;
  /** Seed for generated uids, so runs are reproducible. */
  seed?: number;
}

function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** A fresh copy of a stored object, from its serialised body (cheaper than a deep clone). */
function fromBody(body: string, stored: KubeObject): KubeObject {
  return {
    apiVersion: stored.apiVersion,
    kind: stored.kind,
    ...JSON.parse(body),
  };
}

function serialiseBody(obj: KubeObject): string {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

/** The API server's defaulting, for the fields controllers rely on. */
function applyDefaults(obj: KubeObject): void {
  if (obj.kind === 'Deployment' && obj.spec && typeof obj.spec === 'object') {
    // A new spec object: an adopted input may share nested objects with its creator.
    if ((obj.spec as { replicas?: number }).replicas === undefined) {
      obj.spec = { ...(obj.spec as object), replicas: 1 };
    }
  }
}

/** Fields that never bump metadata.generation when they change. */
function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

/**
 * The cluster's objects: one resourceVersion sequence for all kinds (as etcd),
 * a bounded change history for watches, and synchronous change listeners.
 */
export class ObjectStore {
  readonly registry: ResourceRegistry;
  private readonly clock: Clock;
  private readonly historyLimit: number;
  private readonly data = new Map<
    string,
    Map<string, Map<string, StoredEntry>>
  >();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  /** owner uid -> dependents, for garbage collection on delete. */
  private readonly dependents = new Map<
    string,
    Map<string, { resource: ResourceType; namespace?: string; name: string }>
  >();
  private rv = 1000;
  /** Watches from a resourceVersion below this are answered with 410 Gone. */
  private compactedRv = 1000;
  private uidState: number;

  constructor(options: ObjectStoreOptions) {
    this.registry = options.registry;
    this.clock = options.clock;
    this.historyLimit = options.historyLimit ?? 20000;
    this.uidState = options.seed ?? 1;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestWatchableVersion(): number {
    return this.compactedRv;
  }

  /** Drops the whole change history: every watch resuming from before now gets 410. */
  compact(): void {
    this.history.length = 0;
    this.compactedRv = this.rv;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes after `sinceRv`, or undefined when they are no longer in the history. */
  eventsSince(sinceRv: number): StoreEvent[] | undefined {
    if (sinceRv < this.compactedRv) return undefined;
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].resourceVersion <= sinceRv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  resourceFor(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceType {
    return this.registry.forKind(obj.apiVersion, obj.kind);
  }

  /** namespace ('' for cluster-scoped) -> name -> entry, per resource. */
  private table(resource: ResourceType): Map<string, Map<string, StoredEntry>> {
    return getOrCreate(this.data, resourceKey(resource), () => new Map());
  }

  private namespaceTable(
    resource: ResourceType,
    namespace: string | undefined,
  ) {
    const t = this.table(resource);
    const ns = resource.namespaced ? namespace ?? '' : '';
    return getOrCreate(t, ns, () => new Map<string, StoredEntry>());
  }

  getEntry(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): StoredEntry | undefined {
    return this.namespaceTable(resource, namespace).get(name);
  }

  /** The stored object (do not mutate it: use `mutate`). */
  get(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.getEntry(resource, namespace, name)?.object;
  }

  /** Looks up by apiVersion/kind, the way controllers refer to objects. */
  getByKind(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.get(this.registry.forKind(apiVersion, kind), namespace, name);
  }

  /** Entries of one resource, optionally in one namespace, in namespace/name order. */
  list(resource: ResourceType, namespace?: string): StoredEntry[] {
    const t = this.table(resource);
    const byName = (a: StoredEntry, b: StoredEntry) => {
      const an = a.object.metadata.name;
      const bn = b.object.metadata.name;
      if (an < bn) return -1;
      return an > bn ? 1 : 0;
    };
    if (namespace !== undefined && resource.namespaced) {
      return [...(t.get(namespace)?.values() ?? [])].sort(byName);
    }
    const result: StoredEntry[] = [];
    for (const ns of [...t.keys()].sort()) {
      result.push(...[...t.get(ns)!.values()].sort(byName));
    }
    return result;
  }

  listObjects(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): KubeObject[] {
    return this.list(this.registry.forKind(apiVersion, kind), namespace).map(
      e => e.object,
    );
  }

  /** A uid in the UUID format, reproducible from the store's seed. */
  private nextUid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 4; i++) {
      // xorshift32
      let x = this.uidState;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.uidState = x >>> 0;
      hex.push(this.uidState.toString(16).padStart(8, '0'));
    }
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
      17,
      20,
    )}-${h.slice(20, 32)}`;
  }

  private timestamp(): string {
    return new Date(Math.floor(this.clock.now() / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
  }

  private record(
    type: WatchEventType,
    resource: ResourceType,
    entry: StoredEntry,
    previous?: KubeObject,
  ): void {
    const event: StoreEvent = {
      type,
      previous,
      resourceKey: resourceKey(resource),
      resourceVersion: entry.resourceVersion,
      namespace: entry.object.metadata.namespace ?? '',
      name: entry.object.metadata.name,
      object: entry.object,
      body: entry.body,
    };
    this.history.push(event);
    // Trim in batches: splicing on every write would make writes O(history).
    if (this.history.length > this.historyLimit * 1.25) {
      const dropped = this.history.splice(
        0,
        this.history.length - this.historyLimit,
      );
      this.compactedRv = dropped[dropped.length - 1].resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }

  private store(resource: ResourceType, obj: KubeObject): StoredEntry {
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    const entry: StoredEntry = {
      object: obj,
      body: serialiseBody(obj),
      spec: specOf(obj),
      resourceVersion: this.rv,
    };
    this.namespaceTable(resource, obj.metadata.namespace).set(
      obj.metadata.name,
      entry,
    );
    for (const ref of obj.metadata.ownerReferences ?? []) {
      getOrCreate(this.dependents, ref.uid, () => new Map()).set(
        `${resourceKey(resource)}|${obj.metadata.namespace ?? ''}|${
          obj.metadata.name
        }`,
        {
          resource,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
        },
      );
    }
    return entry;
  }

  /**
   * Creates an object, filling uid, resourceVersion, generation and
   * creationTimestamp. With `adopt`, the store keeps `input` itself (the
   * caller built it and will not touch it again).
   */
  create(input: KubeObject, adopt = false): KubeObject {
    const resource = this.resourceFor(input);
    const obj = adopt ? input : cloneJson(input);
    if (!resource.namespaced) delete obj.metadata.namespace;
    else if (!obj.metadata.namespace) obj.metadata.namespace = 'default';
    if (!obj.metadata.name) {
      throw Errors.invalid(
        resource.group,
        resource.kind,
        '',
        'metadata.name: Required value',
      );
    }
    if (this.getEntry(resource, obj.metadata.namespace, obj.metadata.name)) {
      throw Errors.alreadyExists(
        resource.group,
        resource.plural,
        obj.metadata.name,
      );
    }
    obj.apiVersion = input.apiVersion;
    obj.metadata.uid = obj.metadata.uid ?? this.nextUid();
    obj.metadata.generation = 1;
    applyDefaults(obj);
    obj.metadata.creationTimestamp =
      obj.metadata.creationTimestamp ?? this.timestamp();
    const entry = this.store(resource, obj);
    this.record('ADDED', resource, entry);
    return entry.object;
  }

  /**
   * Replaces an object. `expectedRv` makes it an optimistic update (409 on
   * mismatch). Identity fields are kept from the stored object; generation
   * moves when anything but metadata and status changed.
   */
  update(input: KubeObject, expectedRv?: string, adopt = false): KubeObject {
    const resource = this.resourceFor(input);
    const current = this.getEntry(
      resource,
      input.metadata.namespace,
      input.metadata.name,
    );
    if (!current) {
      throw Errors.notFound(
        resource.group,
        resource.plural,
        input.metadata.name,
      );
    }
    if (expectedRv && expectedRv !== current.object.metadata.resourceVersion) {
      throw Errors.conflict(
        resource.group,
        resource.plural,
        input.metadata.name,
      );
    }
    const obj = adopt ? input : cloneJson(input);
    const old = current.object;
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    obj.metadata.namespace = old.metadata.namespace;
    if (!resource.namespaced) delete obj.metadata.namespace;
    obj.metadata.generation =
      (old.metadata.generation ?? 1) + (specOf(obj) !== current.spec ? 1 : 0);
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    if (
      serialiseBody(obj) === current.body &&
      obj.apiVersion === old.apiVersion
    ) {
      return old; // no-op updates do not bump resourceVersion, as in Kubernetes
    }
    const entry = this.store(resource, obj);
    this.record('MODIFIED', resource, entry, old);
    return entry.object;
  }

  /** Creates or replaces (keeping identity), as `kubectl apply` would end up. */
  upsert(input: KubeObject, adopt = false): KubeObject {
    const resource = this.resourceFor(input);
    return this.getEntry(
      resource,
      input.metadata.namespace,
      input.metadata.name,
    )
      ? this.update(input, undefined, adopt)
      : this.create(input, adopt);
  }

  /**
   * Applies `fn` to a copy of the object and stores the result when it changed.
   * Returns undefined when the object does not exist.
   */
  mutate(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    fn: (draft: KubeObject) => void,
  ): KubeObject | undefined {
    const resource = this.registry.forKind(apiVersion, kind);
    const current = this.getEntry(resource, namespace, name);
    if (!current) return undefined;
    const draft = fromBody(current.body, current.object);
    fn(draft);
    return this.update(draft, undefined, true);
  }

  /** Deletes an object and, as the garbage collector would, what it owns. */
  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const ns = resource.namespaced ? namespace : undefined;
    const current = this.getEntry(resource, ns, name);
    if (!current) throw Errors.notFound(resource.group, resource.plural, name);
    this.namespaceTable(resource, ns).delete(name);
    this.rv += 1;
    const deleted = fromBody(current.body, current.object);
    deleted.metadata.resourceVersion = String(this.rv);
    const entry: StoredEntry = {
      object: deleted,
      body: serialiseBody(deleted),
      spec: current.spec,
      resourceVersion: this.rv,
    };
    this.record('DELETED', resource, entry);
    this.collectGarbage(current.object.metadata.uid);
    if (resource.kind === 'Namespace') this.deleteNamespaceContents(name);
    return deleted;
  }

  /** Deletes by apiVersion/kind, the way controllers refer to objects. */
  deleteByKind(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    return this.delete(
      this.registry.forKind(apiVersion, kind),
      namespace,
      name,
    );
  }

  private collectGarbage(ownerUid: string | undefined): void {
    if (!ownerUid) return;
    const deps = this.dependents.get(ownerUid);
    this.dependents.delete(ownerUid);
    for (const dep of deps?.values() ?? []) {
      const entry = this.getEntry(dep.resource, dep.namespace, dep.name);
      const owned = entry?.object.metadata.ownerReferences?.some(
        r => r.uid === ownerUid,
      );
      if (owned) this.delete(dep.resource, dep.namespace, dep.name);
    }
  }

  private deleteNamespaceContents(namespace: string): void {
    for (const resource of this.registry.all) {
      if (!resource.namespaced) continue;
      for (const entry of this.list(resource, namespace)) {
        this.delete(resource, namespace, entry.object.metadata.name);
      }
    }
  }

  /** Number of stored objects, for logs and benchmarks. */
  size(): number {
    let n = 0;
    for (const t of this.data.values()) {
      for (const ns of t.values()) n += ns.size;
    }
    return n;
  }
}
