import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ChangeSource } from '../watch/types';

/** One open live-update stream. */
export interface EntityStream {
  entity: Entity;
  send(state: EntityDeliveryState): void;
  heartbeat(): void;
}

interface StreamEntry {
  stream: EntityStream;
  /** The last state sent, without its timestamp, to skip unchanged pushes. */
  lastSent?: string;
}

const fingerprint = (state: EntityDeliveryState) =>
  JSON.stringify({ ...state, generatedAt: undefined });

/**
 * Pushes an entity's new state to its open streams after watch events. Bursts of events are
 * coalesced into one recomputation per `coalesceMs`, and a stream only hears of a change when its
 * own entity's state differs from what it last got.
 */
export class EntityUpdateHub {
  private readonly streams = new Set<StreamEntry>();
  private flushTimer?: ReturnType<typeof setTimeout>;
  private heartbeatTimer?: ReturnType<typeof setInterval>;
  private readonly unsubscribes: Array<() => void> = [];

  private constructor(
    private readonly options: {
      stateOf: (entity: Entity) => EntityDeliveryState;
      logger: LoggerService;
      coalesceMs: number;
      heartbeatMs: number;
    },
  ) {}

  static create(options: {
    sources: ChangeSource[];
    stateOf: (entity: Entity) => EntityDeliveryState;
    logger: LoggerService;
    coalesceMs?: number;
    heartbeatMs?: number;
  }): EntityUpdateHub {
    const hub = new EntityUpdateHub({
      stateOf: options.stateOf,
      logger: options.logger,
      coalesceMs: options.coalesceMs ?? 100,
      heartbeatMs: options.heartbeatMs ?? 15_000,
    });
    for (const source of options.sources) {
      hub.unsubscribes.push(source.subscribe(() => hub.scheduleFlush()));
    }
    return hub;
  }

  /** Sends the current state at once and then every change; returns the unsubscribe. */
  open(stream: EntityStream): () => void {
    const entry: StreamEntry = { stream };
    this.streams.add(entry);
    this.push(entry);
    if (!this.heartbeatTimer) {
      // Comments keep proxies from closing idle streams.
      this.heartbeatTimer = setInterval(() => {
        for (const { stream: s } of this.streams) {
          s.heartbeat();
        }
      }, this.options.heartbeatMs);
    }
    return () => {
      this.streams.delete(entry);
      if (this.streams.size === 0 && this.heartbeatTimer) {
        clearInterval(this.heartbeatTimer);
        this.heartbeatTimer = undefined;
      }
    };
  }

  openStreams(): number {
    return this.streams.size;
  }

  stop(): void {
    this.unsubscribes.forEach(unsubscribe => unsubscribe());
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
    }
    if (this.heartbeatTimer) {
      clearInterval(this.heartbeatTimer);
    }
    this.streams.clear();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.streams.size === 0) {
      return;
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      for (const entry of this.streams) {
        this.push(entry);
      }
    }, this.options.coalesceMs);
  }

  private push(entry: StreamEntry): void {
    try {
      const state = this.options.stateOf(entry.stream.entity);
      const print = fingerprint(state);
      if (print !== entry.lastSent) {
        entry.lastSent = print;
        entry.stream.send(state);
      }
    } catch (error) {
      this.options.logger.warn(
        `live update for ${entry.stream.entity.metadata.name} failed: ${error}`,
      );
    }
  }
}
