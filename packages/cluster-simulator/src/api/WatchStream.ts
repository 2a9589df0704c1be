import http from 'node:http';
import { Clock } from '../clock';
import { KubeObject, StoreEvent } from '../types';
import { serialise, wantsTable, withVersion } from './encoding';
import { WatchAction } from './faults';
import { ObjectStore } from './ObjectStore';
import { groupVersion, resourceKey } from './resources';
import { ResourcePath } from './resourcePath';
import { matchesSelectors, requestSelectors } from './selectors';
import { Errors } from './status';
import { toTable } from './table';

/** A watch connection the server can end (faults, shutdown). */
export interface OpenWatch {
  res: http.ServerResponse;
  close: (action: WatchAction | 'timeout') => void;
}

export interface WatchContext {
  store: ObjectStore;
  clock: Clock;
  /** Wall-clock interval of BOOKMARK events on watches that asked for them. */
  bookmarkIntervalMs?: number;
  /** The server's open watches; a stream is in it while it is open. */
  watches: Set<OpenWatch>;
}

/**
 * One watch: replays from `resourceVersion` (or lists from now as ADDED),
 * then streams store changes that pass its namespace and selectors — an
 * object leaving the selection is DELETED — with optional BOOKMARKs, until
 * `timeoutSeconds`, the client leaves, or a fault ends it.
 */
export class WatchStream implements OpenWatch {
  private readonly apiVersion: string;
  private readonly key: string;
  private readonly selectors: ReturnType<typeof requestSelectors>;
  private readonly table: boolean;
  private readonly bookmarks: boolean;
  private readonly timers: NodeJS.Timeout[] = [];
  private lastRv = 0;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly ctx: WatchContext,
    private readonly req: http.IncomingMessage,
    readonly res: http.ServerResponse,
    private readonly url: URL,
    private readonly target: ResourcePath,
  ) {
    const { resource, version } = target;
    this.apiVersion = groupVersion(resource.group, version);
    this.key = resourceKey(resource);
    this.selectors = requestSelectors(url, resource.kind);
    if (target.name) {
      this.selectors.fields.push({
        path: 'metadata.name',
        op: 'eq',
        value: target.name,
      });
    }
    this.table = wantsTable(req);
    this.bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
  }

  start(): void {
    this.res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    this.res.flushHeaders();
    this.lastRv = this.ctx.store.resourceVersion;
    if (!this.replay()) return;
    this.unsubscribe = this.ctx.store.subscribe(e => this.send(e));
    this.ctx.watches.add(this);
    if (this.bookmarks) {
      const t = setInterval(
        () => this.bookmark(),
        this.ctx.bookmarkIntervalMs ?? 15000,
      );
      t.unref();
      this.timers.push(t);
    }
    const timeoutSeconds = Number(
      this.url.searchParams.get('timeoutSeconds') ?? 0,
    );
    if (timeoutSeconds > 0) {
      const t = setTimeout(() => this.close('timeout'), timeoutSeconds * 1000);
      t.unref();
      this.timers.push(t);
    }
    this.req.on('close', () => this.close('drop'));
  }

  readonly close = (action: WatchAction | 'timeout'): void => {
    if (!this.ctx.watches.delete(this)) return;
    this.unsubscribe();
    this.timers.forEach(t => clearInterval(t));
    if (action === 'drop') {
      this.res.destroy();
    } else if (action === 'gone') {
      this.endGone(String(this.lastRv));
    } else {
      if (this.bookmarks) this.bookmark();
      this.res.end();
    }
  };

  /** The events before the watch starts; false (stream ended) when they are gone. */
  private replay(): boolean {
    const { store } = this.ctx;
    const rvParam = this.url.searchParams.get('resourceVersion') ?? '';
    if (rvParam === '' || rvParam === '0') {
      for (const e of store.list(this.target.resource, this.target.namespace)) {
        if (this.matches(e.object)) this.write('ADDED', e.object, e.body);
      }
      return true;
    }
    const since = Number(rvParam);
    const events = Number.isFinite(since)
      ? store.eventsSince(since)
      : undefined;
    if (!events) {
      this.endGone(rvParam);
      return false;
    }
    events.forEach(e => this.send(e));
    return true;
  }

  private endGone(resourceVersion: string): void {
    const status = Errors.gone(
      resourceVersion,
      this.ctx.store.oldestWatchableVersion,
    ).toStatus();
    this.res.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
  }

  private matches(obj: KubeObject | undefined): boolean {
    return (
      !!obj &&
      (!this.target.namespace ||
        obj.metadata.namespace === this.target.namespace) &&
      matchesSelectors(this.selectors, obj)
    );
  }

  private send(event: StoreEvent): void {
    if (event.resourceKey !== this.key) return;
    this.lastRv = event.resourceVersion;
    const now = this.matches(event.object);
    const before = event.type === 'MODIFIED' && this.matches(event.previous);
    if (event.type === 'MODIFIED') {
      if (now && before) this.write('MODIFIED', event.object, event.body);
      else if (now) this.write('ADDED', event.object, event.body);
      else if (before) this.write('DELETED', event.object, event.body);
    } else if (now) {
      this.write(event.type, event.object, event.body);
    }
  }

  private bookmark(): void {
    const resourceVersion = String(
      Math.max(this.lastRv, this.ctx.store.resourceVersion),
    );
    this.write('BOOKMARK', {
      apiVersion: this.apiVersion,
      kind: this.target.resource.kind,
      metadata: { name: '', resourceVersion },
    });
  }

  private write(type: string, obj: KubeObject, body?: string): void {
    const { resource } = this.target;
    let objectJson: string;
    if (this.table && type !== 'BOOKMARK' && type !== 'ERROR') {
      objectJson = JSON.stringify(
        toTable(
          resource,
          [withVersion(obj, this.apiVersion)],
          obj.metadata.resourceVersion ?? '',
          this.ctx.clock.now(),
          'Object',
        ),
      );
    } else {
      objectJson = body
        ? serialise(body, this.apiVersion, resource.kind)
        : JSON.stringify(obj);
    }
    this.res.write(`{"type":"${type}","object":${objectJson}}\n`);
  }
}
