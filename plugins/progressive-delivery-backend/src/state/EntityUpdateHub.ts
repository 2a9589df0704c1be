import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ChangeSource } from '../watch/types';
import { EntityStateMemo } from './EntityStateMemo';
import { StateView } from './StateView';
import {
  checkStreamLimits,
  DEFAULT_STREAM_LIMITS,
  StreamLimits,
} from './StreamLimits';

/** One open live-update stream. */
export interface EntityStream {
  entity: Entity;
  /** Who holds it (a user or service), for the per-entity cap. */
  holder?: string;
  /** Writes a server-sent event: the same buffer goes to every stream of the entity. */
  write?(frame: Buffer): void;
  /** Receives the state as an object (parsed once per change for the entity's streams). */
  send?(state: EntityDeliveryState): void;
  heartbeat(): void;
}

/** Where the hub reads states and learns which entities a change touched. */
export type EntityStateViews = Pick<
  EntityStateMemo,
  'viewOf' | 'onTouched' | 'pin' | 'poll'
>;

interface StreamEntry {
  stream: EntityStream;
  holder: string;
  /** The version last sent. */
  version?: number;
}

/** The open streams of one entity. */
interface EntityGroup {
  entity: Entity;
  streams: Set<StreamEntry>;
  unpin: () => void;
}

export interface EntityUpdateHubOptions {
  /** The shared states (the state service's memo). */
  views?: EntityStateViews;
  /** Without views: where changes come from, each touching every entity… */
  sources?: ChangeSource[];
  /** …and how a state is derived. */
  stateOf?: (entity: Entity) => EntityDeliveryState;
  logger: LoggerService;
  coalesceMs?: number;
  heartbeatMs?: number;
  /** How often the clusters' status and time-dependent states are checked. */
  pollMs?: number;
  limits?: StreamLimits;
}

/**
 * Pushes an entity's new state to its open streams. Changes tell which entities they touched
 * (see {@link EntityStateMemo}); bursts are coalesced into one push per `coalesceMs`, and only
 * the touched entities' states are read again: once per entity, serialised once, the same frame
 * written to each of its streams, and only when its version moved.
 */
export class EntityUpdateHub {
  private readonly groups = new Map<string, EntityGroup>();
  private readonly pending = new Set<string>();
  private open_ = 0;
  private flushTimer?: ReturnType<typeof setTimeout>;
  private heartbeatTimer?: ReturnType<typeof setInterval>;
  private pollTimer?: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly views: EntityStateViews,
    private readonly options: Required<
      Pick<
        EntityUpdateHubOptions,
        'logger' | 'coalesceMs' | 'heartbeatMs' | 'pollMs' | 'limits'
      >
    >,
    private readonly ownMemo?: EntityStateMemo,
  ) {
    this.unsubscribe = views.onTouched(ref => this.touched(ref));
  }

  static create(options: EntityUpdateHubOptions): EntityUpdateHub {
    const { stateOf, sources } = options;
    let ownMemo: EntityStateMemo | undefined;
    if (!options.views) {
      if (!stateOf) {
        throw new Error('EntityUpdateHub needs views or stateOf');
      }
      ownMemo = new EntityStateMemo({
        derive: entity => stateOf(entity),
        sources: sources ?? [],
        dependencies: 'none',
      });
    }
    return new EntityUpdateHub(
      options.views ?? ownMemo!,
      {
        logger: options.logger,
        coalesceMs: options.coalesceMs ?? 100,
        heartbeatMs: options.heartbeatMs ?? 15_000,
        pollMs: options.pollMs ?? 2_000,
        limits: options.limits ?? DEFAULT_STREAM_LIMITS,
      },
      ownMemo,
    );
  }

  /**
   * Sends the current state at once and then every change; returns the unsubscribe. Throws
   * (429, 503) when the holder or the backend has as many streams as allowed.
   */
  open(stream: EntityStream): () => void {
    const ref = stringifyEntityRef(stream.entity);
    const holder = stream.holder ?? '';
    const group = this.groups.get(ref);
    let held = 0;
    group?.streams.forEach(s => {
      held += s.holder === holder ? 1 : 0;
    });
    checkStreamLimits(this.options.limits, this.open_, held, ref);
    const entry: StreamEntry = { stream, holder };
    const target = group ?? this.addGroup(ref, stream.entity);
    target.streams.add(entry);
    this.open_ += 1;
    this.push(target, [entry]);
    this.startTimers();
    let closed = false;
    return () => {
      if (closed) {
        return;
      }
      closed = true;
      this.open_ -= 1;
      target.streams.delete(entry);
      if (target.streams.size === 0) {
        target.unpin();
        this.groups.delete(ref);
      }
      if (this.open_ === 0) {
        this.stopTimers();
      }
    };
  }

  openStreams(): number {
    return this.open_;
  }

  stop(): void {
    this.unsubscribe();
    this.ownMemo?.stop();
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    this.stopTimers();
    this.groups.forEach(group => group.unpin());
    this.groups.clear();
    this.open_ = 0;
  }

  private addGroup(ref: string, entity: Entity): EntityGroup {
    const group: EntityGroup = {
      entity,
      streams: new Set(),
      unpin: this.views.pin(ref),
    };
    this.groups.set(ref, group);
    return group;
  }

  private startTimers(): void {
    if (this.heartbeatTimer) {
      return;
    }
    // Comments keep proxies from closing idle streams.
    this.heartbeatTimer = setInterval(() => {
      for (const group of this.groups.values()) {
        group.streams.forEach(({ stream }) => stream.heartbeat());
      }
    }, this.options.heartbeatMs);
    // The clusters' sync status changes without an object changing.
    this.pollTimer = setInterval(() => this.views.poll(), this.options.pollMs);
  }

  private stopTimers(): void {
    clearInterval(this.heartbeatTimer);
    clearInterval(this.pollTimer);
    this.heartbeatTimer = undefined;
    this.pollTimer = undefined;
  }

  private touched(ref: string): void {
    if (!this.groups.has(ref)) {
      return;
    }
    this.pending.add(ref);
    if (this.flushTimer) {
      return;
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const refs = [...this.pending];
      this.pending.clear();
      for (const pendingRef of refs) {
        const group = this.groups.get(pendingRef);
        if (group) {
          this.push(group, group.streams);
        }
      }
    }, this.options.coalesceMs);
  }

  /** Sends the entity's state to the streams that have not had this version. */
  private push(group: EntityGroup, entries: Iterable<StreamEntry>): void {
    let view: StateView;
    try {
      view = this.views.viewOf(group.entity);
    } catch (error) {
      this.options.logger.warn(
        `live update for ${group.entity.metadata.name} failed: ${error}`,
      );
      return;
    }
    let parsed: EntityDeliveryState | undefined;
    // Made for this push only: kept on the view, the frames of the streamed entities stayed in
    // memory as long as their versions (2 MB for the bench's 100 streamed entities).
    let frame: Buffer | undefined;
    for (const entry of entries) {
      if (entry.version === view.version) {
        continue;
      }
      entry.version = view.version;
      const { stream } = entry;
      if (stream.write) {
        frame ??= view.frame();
        stream.write(frame);
      } else {
        parsed ??= view.state();
        stream.send?.(parsed);
      }
    }
  }
}
