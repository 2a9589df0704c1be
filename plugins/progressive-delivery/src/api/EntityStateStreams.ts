import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  DeliveryStateObserver,
  DeliveryStateSubscription,
  LiveConnectionStatus,
} from './ProgressiveDeliveryApi';

/** What a read of one entity's stream reports, until the stream ends or fails. */
export interface StreamHandlers {
  opened(): void;
  state(state: EntityDeliveryState): void;
}

/** Reads one entity's live stream once; resolves when the server closes it. */
export type StreamReader = (
  entityRef: CompoundEntityRef,
  signal: AbortSignal,
  handlers: StreamHandlers,
) => Promise<void>;

/**
 * One live stream per entity, shared by every view that follows it (the overview cards, the
 * tab), so that an entity page holds one connection however many parts it shows.
 */
interface SharedStream {
  observers: Set<DeliveryStateObserver>;
  last?: EntityDeliveryState;
  status: LiveConnectionStatus;
  close(): void;
}

/**
 * Delay before reconnect attempt `attempt` (1, 2, ...): exponential from one second up to
 * thirty, with jitter so that browsers do not all come back at the same instant after a backend
 * restart.
 *
 * @public
 */
export function defaultReconnectDelay(attempt: number): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * How many times a stream that was live retries a 404 before it stops: a restarting backend
 * answers 404 until its catalog has loaded the entity again (the demo's backend restarts on
 * every source change), while an entity removed from the catalog stays 404.
 */
const NOT_FOUND_RETRIES_AFTER_LIVE = 5;

/** Client errors other than timeouts and rate limits will not heal by retrying. */
function isPermanent(error: unknown, notFoundRetries: number): boolean {
  if (!(error instanceof ResponseError)) {
    return false;
  }
  const status = error.response.status;
  if (status === 404 && notFoundRetries > 0) {
    return false;
  }
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** The live streams of entities, shared per entity and reconnected with backoff. */
export class EntityStateStreams {
  private readonly streams = new Map<string, SharedStream>();

  constructor(
    private readonly read: StreamReader,
    private readonly reconnectDelay: (attempt: number) => number,
  ) {}

  subscribe(
    entityRef: CompoundEntityRef,
    observer: DeliveryStateObserver,
  ): DeliveryStateSubscription {
    const key = stringifyEntityRef(entityRef).toLocaleLowerCase('en-US');
    const existing = this.streams.get(key);
    if (existing) {
      existing.observers.add(observer);
      observer.status?.(existing.status);
      if (existing.last) {
        observer.next(existing.last);
      }
    }
    const stream = existing ?? this.share(key, entityRef, observer);
    return {
      unsubscribe: () => {
        stream.observers.delete(observer);
        if (stream.observers.size === 0) {
          stream.close();
          this.streams.delete(key);
        }
      },
    };
  }

  private share(
    key: string,
    entityRef: CompoundEntityRef,
    observer: DeliveryStateObserver,
  ): SharedStream {
    const shared: SharedStream = {
      observers: new Set([observer]),
      status: 'connecting',
      close: () => {},
    };
    this.streams.set(key, shared);
    shared.close = this.follow(entityRef, {
      next: state => {
        shared.last = state;
        shared.observers.forEach(o => o.next(state));
      },
      error: error => shared.observers.forEach(o => o.error?.(error)),
      status: status => {
        shared.status = status;
        shared.observers.forEach(o => o.status?.(status));
      },
    });
    return shared;
  }

  /** Follows one entity's stream, reconnecting with backoff; returns how to stop. */
  private follow(
    entityRef: CompoundEntityRef,
    observer: Required<DeliveryStateObserver>,
  ): () => void {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    // Retries left for a 404: none until the stream has been live once.
    let notFoundRetries = 0;

    const connect = async () => {
      observer.status(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        await this.read(entityRef, controller.signal, {
          opened: () => {
            notFoundRetries = NOT_FOUND_RETRIES_AFTER_LIVE;
            observer.status('live');
          },
          state: state => {
            attempt = 0;
            observer.next(state);
          },
        });
        throw new Error('The live-update stream was closed by the server');
      } catch (error) {
        if (controller.signal.aborted) {
          return;
        }
        observer.error(error as Error);
        if (isPermanent(error, notFoundRetries)) {
          observer.status('stopped');
          return;
        }
        if (error instanceof ResponseError && error.response.status === 404) {
          notFoundRetries -= 1;
        }
        attempt += 1;
        observer.status('reconnecting');
        timer = setTimeout(connect, this.reconnectDelay(attempt));
      }
    };
    connect();

    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }
}
