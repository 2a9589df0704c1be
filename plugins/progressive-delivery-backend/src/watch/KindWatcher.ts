import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterError,
  KindSyncStatus,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { BackoffOptions } from './WatchConfig';
import { WatchedKind } from './kinds';
import { ListGate } from './ListGate';
import {
  KubernetesClient,
  KubernetesRequestError,
  WatchEvent,
  WatchHandle,
} from './KubernetesClient';
import { ObjectSink } from './types';

/** Maps a failed list or watch to the error shown on the cluster's entry. */
export function toClusterError(
  cluster: string,
  kind: WatchedKind,
  error: unknown,
): ClusterError {
  const requestError =
    error instanceof KubernetesRequestError ? error : undefined;
  const statusCode = requestError?.statusCode;
  const verb = requestError?.verb ?? 'list';
  const message = error instanceof Error ? error.message : String(error);
  let errorType: ClusterError['errorType'] = 'UNKNOWN_ERROR';
  if (requestError && statusCode === undefined) {
    errorType = 'UNREACHABLE';
  } else if (statusCode === 401) {
    errorType = 'UNAUTHORIZED';
  } else if (statusCode === 403) {
    errorType = 'FORBIDDEN';
  } else if (statusCode === 400) {
    errorType = 'BAD_REQUEST';
  } else if (statusCode !== undefined && statusCode >= 500) {
    errorType = 'SERVER_ERROR';
  }
  return {
    errorType,
    message:
      errorType === 'UNREACHABLE'
        ? message
        : `cannot ${verb} ${kind.plural} in cluster ${cluster}: ${message}`,
    statusCode,
    kind: kind.kind,
    verb,
  };
}

type WatchOutcome =
  | { type: 'closed' }
  | { type: 'gone' }
  | { type: 'error'; error: unknown };

// A watch that closes sooner than this counts as a failure, so a server that keeps closing
// watches at once does not get hammered.
const MIN_HEALTHY_WATCH_MS = 1000;

/**
 * Lists then watches one kind in one cluster, forever: after any error it reconnects with
 * exponential backoff; after `410 Gone` it re-lists, and the re-list drops objects deleted in
 * the meantime. A kind whose CRD is not installed (404 on list) is `notInstalled` and checked
 * again at the longest backoff.
 */
export class KindWatcher {
  private stopped = false;
  private started = false;
  private watchHandle?: WatchHandle;
  private wake?: () => void;
  private cancelWatch?: () => void;
  private resourceVersion = '';
  private failures = 0;
  private objectCount = 0;
  private syncStatus: KindSyncStatus;

  constructor(
    private readonly options: {
      cluster: string;
      kind: WatchedKind;
      client: KubernetesClient;
      sink: ObjectSink;
      logger: LoggerService;
      backoff: BackoffOptions;
      /** Shared by the kinds of one cluster: how many list at once, in which order. */
      listGate?: ListGate;
      /** Lower lists first through `listGate`. */
      listPriority?: number;
      /** Called whenever the sync state (not the object count) changes. */
      onStatusChange?: () => void;
    },
  ) {
    this.syncStatus = { kind: options.kind.kind, state: 'pending', objects: 0 };
  }

  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    this.run().catch(error =>
      this.options.logger.error(
        `watch loop of ${this.options.kind.kind} ended`,
        error,
      ),
    );
  }

  stop(): void {
    this.stopped = true;
    this.cancelWatch?.();
    this.wake?.();
  }

  status(): KindSyncStatus {
    return { ...this.syncStatus, objects: this.objectCount };
  }

  private async run(): Promise<void> {
    const { cluster, kind } = this.options;
    let needsList = true;
    while (!this.stopped) {
      try {
        if (needsList) {
          if (!(await this.list())) {
            return;
          }
          needsList = false;
          this.markSynced();
        }
        const startedAt = Date.now();
        const outcome = await this.watchOnce();
        if (outcome.type === 'gone') {
          this.options.logger.info(
            `${kind.kind} watch in ${cluster} expired (410 Gone), re-listing`,
          );
          needsList = true;
        } else if (outcome.type === 'error') {
          throw outcome.error;
        } else if (Date.now() - startedAt < MIN_HEALTHY_WATCH_MS) {
          this.failures += 1;
          await this.sleep(this.backoffMs());
        } else {
          this.failures = 0;
        }
      } catch (error) {
        if (this.stopped) {
          return;
        }
        if (
          error instanceof KubernetesRequestError &&
          error.statusCode === 404 &&
          error.verb === 'list'
        ) {
          this.setStatus({ state: 'notInstalled' });
          await this.sleep(this.options.backoff.maxMs);
          continue;
        }
        // A failed watch resumes from the last resourceVersion; the server answers 410 if that
        // is too old, and then the kind is re-listed.
        this.failures += 1;
        const clusterError = toClusterError(cluster, kind, error);
        this.options.logger.warn(clusterError.message);
        this.setStatus({ state: 'error', error: clusterError });
        await this.sleep(this.backoffMs());
      }
    }
  }

  /**
   * Lists the kind into the sink; false when stopped meanwhile. A method of its own, so that the
   * list's items are not held by the suspended frame of `run` while it watches.
   */
  private async list(): Promise<boolean> {
    const { cluster, kind, client, sink, listGate } = this.options;
    const priority = this.options.listPriority ?? 0;
    const list = listGate
      ? await listGate.run(priority, () => client.list(kind, { priority }))
      : await client.list(kind, { priority });
    if (this.stopped) {
      return false;
    }
    sink.replace(cluster, kind.kind, list.items);
    this.objectCount = list.items.length;
    this.resourceVersion = list.resourceVersion;
    return true;
  }

  private markSynced(): void {
    this.failures = 0;
    this.setStatus({ state: 'synced', lastSyncAt: new Date().toISOString() });
  }

  private watchOnce(): Promise<WatchOutcome> {
    const { kind, client } = this.options;
    return new Promise<WatchOutcome>(resolve => {
      let settled = false;
      let accepted = false;
      const settle = (outcome: WatchOutcome) => {
        if (!settled) {
          settled = true;
          this.watchHandle?.stop();
          this.watchHandle = undefined;
          resolve(outcome);
        }
      };
      this.cancelWatch = () => settle({ type: 'closed' });
      const onEvent = (event: WatchEvent) => {
        if (!settled) {
          const outcome = this.apply(event);
          if (outcome) {
            settle(outcome);
          }
        }
      };
      const onClose = (error?: KubernetesRequestError) => {
        if (error?.statusCode === 410) {
          settle({ type: 'gone' });
        } else if (!error || (accepted && error.statusCode === undefined)) {
          // A stream that breaks after the server accepted it is resumed at once, like
          // client-go does; only a watch the server refuses is an error.
          settle({ type: 'closed' });
        } else {
          settle({ type: 'error', error });
        }
      };
      client
        .watch(kind, this.resourceVersion, onEvent, onClose)
        .then(handle => {
          if (settled || this.stopped) {
            handle.stop();
            settle({ type: 'closed' });
          } else {
            accepted = true;
            this.watchHandle = handle;
            // The server accepted the watch: whatever failed before has recovered.
            if (this.syncStatus.state === 'error') {
              this.markSynced();
            }
          }
        })
        .catch(error => settle({ type: 'error', error }));
    });
  }

  /** Applies one watch event to the sink; an outcome when the event ends the watch. */
  private apply(event: WatchEvent): WatchOutcome | undefined {
    const { cluster, sink } = this.options;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        if (event.type === 'DELETED') {
          this.objectCount = Math.max(0, this.objectCount - 1);
          sink.delete(cluster, event.object);
        } else {
          this.objectCount += event.type === 'ADDED' ? 1 : 0;
          sink.upsert(cluster, event.object);
        }
        this.resourceVersion =
          event.object.metadata?.resourceVersion ?? this.resourceVersion;
        return undefined;
      case 'BOOKMARK':
        this.resourceVersion = event.resourceVersion || this.resourceVersion;
        return undefined;
      case 'ERROR':
        return event.statusCode === 410
          ? { type: 'gone' }
          : {
              type: 'error',
              error: new KubernetesRequestError({
                message: event.message,
                verb: 'watch',
                statusCode: event.statusCode,
              }),
            };
      default:
        return undefined;
    }
  }

  private backoffMs(): number {
    const { initialMs, maxMs } = this.options.backoff;
    return Math.min(maxMs, initialMs * 2 ** Math.max(0, this.failures - 1));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) {
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private setStatus(update: Partial<KindSyncStatus>): void {
    this.syncStatus = {
      kind: this.options.kind.kind,
      state: update.state ?? this.syncStatus.state,
      objects: this.objectCount,
      lastSyncAt: update.lastSyncAt ?? this.syncStatus.lastSyncAt,
      error: update.state === 'error' ? update.error : undefined,
    };
    this.options.onStatusChange?.();
  }
}
