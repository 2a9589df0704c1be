import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { changeDependencies } from '../resolve/ObjectDependencies';
import { ChangeSource, ObjectChange } from '../watch/types';
import { DependencyIndex, dependencyHash } from './DependencyIndex';
import { StateSerialiser, StateView } from './StateView';

/**
 * Entities kept without an open stream, least recently viewed dropped first. Views spread over
 * more entities than this derive on most requests: at 512 the bench's 2,000 entities served
 * 224 req/s, at 10,000 649 req/s (5 clusters x 2,000 canaries, 2026-12-03).
 */
export const DEFAULT_MEMO_ENTRIES = 10_000;
/** The shortest time a state with a time-dependent field is kept. */
const MIN_TIME_DEPENDENT_MS = 1_000;

export interface EntityStateMemoOptions {
  /** Derives the state, adding to `dependencies` the keys of what it read. */
  derive(entity: Entity, dependencies: Set<string>): EntityDeliveryState;
  /** Where changes come from; every state is derived again on each call without them. */
  sources?: ChangeSource[];
  /**
   * `recorded` (default): a change touches the entities whose dependencies it matches.
   * `none`: the derivation records nothing, so every change touches every entity.
   */
  dependencies?: 'recorded' | 'none';
  /**
   * What the states read of the clusters' sync status, as a string that changes with it; the
   * same string instance while it says the same (every kept entry holds it).
   */
  clusterStatus?: () => string;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  ref: string;
  entity: Entity;
  /** The entity's annotations as JSON: the catalog list is read again as new objects. */
  annotations: string;
  clusterStatus: string;
  /**
   * The keys' numbers (see dependencyHash): 30 bits each, 4 bytes in an Int32Array where an
   * array of numbers takes 8 (a Set about twice that).
   */
  dependencies: Int32Array;
  dirty: boolean;
  /** A state with an estimated completion time is derived again after an analysis interval. */
  expiresAt: number;
  view: StateView;
}

const NO_DEPENDENCIES = new Int32Array(0);

const annotationsOf = (entity: Entity) =>
  JSON.stringify(entity.metadata.annotations ?? {});

/**
 * When a state has an estimated completion (now + the intervals left), it is kept for the
 * shortest analysis interval among those canaries: Flagger moves on (and the canary changes)
 * once per interval, so a state older than that has a stale estimate.
 */
function expiryOf(state: EntityDeliveryState, now: number): number {
  let shortest = Infinity;
  for (const cluster of state.clusters) {
    for (const canary of cluster.canaries) {
      const { estimatedCompletionAt, intervalMs } = canary.progress;
      if (estimatedCompletionAt) {
        shortest = Math.min(
          shortest,
          Math.max(MIN_TIME_DEPENDENT_MS, intervalMs),
        );
      }
    }
  }
  return now + shortest;
}

/**
 * Each entity's delivery state, derived once per change of what it comes from and serialised
 * once (see {@link StateView}). A derivation records its dependencies (the objects and indexes
 * it read); a change marks dirty only the entities whose dependencies it matches, and tells the
 * listeners (the update hub) which. A state is derived again when it is dirty, when the
 * clusters' sync status it shows changed, when the catalog entity's annotations changed, or
 * when a time-dependent field aged (see expiryOf); `generatedAt` is when that happened.
 * Entities with open streams are pinned; the others are kept up to `maxEntries`.
 */
export class EntityStateMemo {
  private readonly entries = new Map<string, Entry>();
  private readonly byDependency = new DependencyIndex<Entry>();
  private readonly pins = new Map<string, number>();
  private readonly listeners = new Set<(entityRef: string) => void>();
  private readonly serialiser = new StateSerialiser();
  private readonly unsubscribes: Array<() => void>;
  private derivations = 0;

  constructor(private readonly options: EntityStateMemoOptions) {
    this.unsubscribes = (options.sources ?? []).map(source =>
      source.subscribe(change => this.changed(change)),
    );
  }

  /** The entity's current state, derived only if something it comes from changed. */
  viewOf(entity: Entity): StateView {
    const ref = stringifyEntityRef(entity);
    const clusterStatus = this.clusterStatus();
    const entry = this.entries.get(ref);
    if (entry && this.fresh(entry, entity, clusterStatus)) {
      // Most recently used last.
      this.entries.delete(ref);
      this.entries.set(ref, entry);
      return entry.view;
    }
    return this.derive(ref, entity, clusterStatus, entry);
  }

  /** Calls back with the reference of each entity that a change made dirty; returns the unsubscribe. */
  onTouched(listener: (entityRef: string) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Keeps the entity's state while a stream follows it; returns the release. */
  pin(entityRef: string): () => void {
    this.pins.set(entityRef, (this.pins.get(entityRef) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const left = (this.pins.get(entityRef) ?? 1) - 1;
      if (left > 0) {
        this.pins.set(entityRef, left);
      } else {
        this.pins.delete(entityRef);
        this.evict();
      }
    };
  }

  /** Marks dirty the states whose clusters' status changed or whose estimate aged. */
  poll(): void {
    const clusterStatus = this.clusterStatus();
    const now = this.now();
    for (const entry of this.entries.values()) {
      if (entry.clusterStatus !== clusterStatus || now >= entry.expiresAt) {
        this.markDirty(entry);
      }
    }
  }

  /** How many states were derived, and how many are kept. */
  stats(): { derivations: number; entries: number } {
    return { derivations: this.derivations, entries: this.entries.size };
  }

  stop(): void {
    this.unsubscribes.forEach(unsubscribe => unsubscribe());
    this.listeners.clear();
  }

  private clusterStatus(): string {
    return this.options.clusterStatus?.() ?? '';
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private fresh(entry: Entry, entity: Entity, clusterStatus: string): boolean {
    if (
      entry.dirty ||
      entry.clusterStatus !== clusterStatus ||
      this.now() >= entry.expiresAt
    ) {
      return false;
    }
    if (entry.entity !== entity) {
      if (annotationsOf(entity) !== entry.annotations) {
        return false;
      }
      entry.entity = entity;
    }
    return true;
  }

  private derive(
    ref: string,
    entity: Entity,
    clusterStatus: string,
    previous: Entry | undefined,
  ): StateView {
    const dependencies = new Set<string>();
    const state = this.options.derive(entity, dependencies);
    this.derivations += 1;
    const view = this.serialiser.serialise(state, previous?.view);
    if (!this.options.sources) {
      // Nothing would tell that it changed: nothing is kept.
      return view;
    }
    const entry: Entry = previous ?? {
      ref,
      entity,
      annotations: '',
      clusterStatus,
      dependencies: NO_DEPENDENCIES,
      dirty: false,
      expiresAt: 0,
      view,
    };
    this.index(entry, dependencies);
    Object.assign(entry, {
      entity,
      annotations: annotationsOf(entity),
      clusterStatus,
      dirty: false,
      expiresAt: expiryOf(state, this.now()),
      view,
    });
    this.entries.delete(ref);
    this.entries.set(ref, entry);
    this.evict();
    return view;
  }

  private index(entry: Entry, dependencies: Set<string>): void {
    this.unindex(entry);
    entry.dependencies = Int32Array.from(dependencies, key =>
      dependencyHash(key),
    );
    if (this.options.dependencies === 'none') {
      return;
    }
    for (const key of entry.dependencies) {
      this.byDependency.add(key, entry);
    }
  }

  private unindex(entry: Entry): void {
    for (const key of entry.dependencies) {
      this.byDependency.delete(key, entry);
    }
  }

  /** Drops the least recently viewed unpinned states beyond the bound. */
  private evict(): void {
    const max = this.options.maxEntries ?? DEFAULT_MEMO_ENTRIES;
    let excess = this.entries.size - this.pins.size - max;
    for (const entry of this.entries.values()) {
      if (excess <= 0) {
        return;
      }
      if (!this.pins.has(entry.ref)) {
        this.unindex(entry);
        this.entries.delete(entry.ref);
        excess -= 1;
      }
    }
  }

  private changed(change: ObjectChange): void {
    if (this.entries.size === 0) {
      return;
    }
    if (this.options.dependencies === 'none') {
      this.entries.forEach(entry => this.markDirty(entry));
      return;
    }
    for (const key of changeDependencies(change)) {
      this.byDependency.forEach(dependencyHash(key), entry =>
        this.markDirty(entry),
      );
    }
  }

  private markDirty(entry: Entry): void {
    if (!entry.dirty) {
      entry.dirty = true;
      this.listeners.forEach(listener => listener(entry.ref));
    }
  }
}
