import http from 'node:http';
import { Clock } from '../clock';
import { KubeObject, StoreEvent } from '../types';
import { AccessRequest, TokenAuthenticator, TokenConfig } from './auth';
import {
  SERVER_VERSION,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  hasStatusSubresource,
} from './discovery';
import { FaultInjector, RequestCounters, WatchAction } from './faults';
import { ObjectStore, StoredEntry } from './ObjectStore';
import { PatchError, applyJsonPatch, applyMergePatch } from './patch';
import { ResourceType, groupVersion, resourceKey } from './resources';
import {
  SelectorError,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { ApiError, Errors, qualifiedResource } from './status';
import { toTable } from './table';

/** What answers requests sent through the service proxy. */
export interface ProxyResponse {
  status: number;
  body: string;
  contentType?: string;
}
export type ProxyHandler = (request: {
  method: string;
  path: string;
  body: string;
}) => ProxyResponse;
export type ProxyResolver = (
  namespace: string,
  service: string,
  port: string | undefined,
) => ProxyHandler | undefined;

export interface ApiServerOptions {
  store: ObjectStore;
  clock: Clock;
  auth: TokenAuthenticator;
  faults: FaultInjector;
  counters: RequestCounters;
  proxy: ProxyResolver;
  /** Prometheus text for GET /metrics. */
  metrics: () => string;
  /** Called before handling, so simulated time is current (real-time mode). */
  syncClock?: () => void;
  /** Wall-clock interval of BOOKMARK events on watches that asked for them. */
  bookmarkIntervalMs?: number;
}

interface ResourcePath {
  resource: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Path after `/proxy` for service proxy requests. */
  proxyPath?: string;
  legacyWatch: boolean;
}

interface OpenWatch {
  res: http.ServerResponse;
  close: (action: WatchAction | 'timeout') => void;
}

const MAX_BODY = 10 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Errors.badRequest('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw Errors.badRequest(
      `error decoding request body: ${(e as Error).message}`,
    );
  }
}

/** The JSON of a stored object at the version the client asked for. */
function serialise(
  entryBody: string,
  apiVersion: string,
  kind: string,
): string {
  return `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(
    kind,
  )},${entryBody.slice(1)}`;
}

function withVersion(obj: KubeObject, apiVersion: string): KubeObject {
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

/**
 * The Kubernetes REST API over the store: discovery, list/get/watch,
 * create/update/patch/delete, service proxy, with auth, faults and counters.
 */
export class KubeApiServer {
  private readonly watches = new Set<OpenWatch>();
  private readonly unsubscribeFaults: () => void;

  constructor(private readonly options: ApiServerOptions) {
    this.unsubscribeFaults = options.faults.onWatchAction(action => {
      if (action === 'gone') options.store.compact();
      for (const w of [...this.watches]) w.close(action);
    });
  }

  get openWatchCount(): number {
    return this.watches.size;
  }

  /** Ends all open watches (server shutdown). */
  closeAll(): void {
    this.unsubscribeFaults();
    for (const w of [...this.watches]) w.close('drop');
  }

  readonly handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    this.dispatch(req, res).catch(err => this.sendError(res, err));
  };

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/_simulator/')) {
      await this.handleControl(req, res, path);
      return;
    }
    const { faults } = this.options;
    if (faults.down) {
      req.socket.destroy();
      return;
    }
    if (faults.latencyMs > 0) {
      await new Promise(r => setTimeout(r, faults.latencyMs));
    }
    this.options.syncClock?.();
    if (faults.shouldFail(path)) {
      throw faults.errorCode === 503
        ? Errors.unavailable('simulated fault: service unavailable')
        : new ApiError(
            faults.errorCode,
            faults.errorCode >= 500 ? 'InternalError' : 'BadRequest',
            `Internal error occurred: simulated fault on ${path}`,
          );
    }
    if (['/healthz', '/readyz', '/livez'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(this.options.metrics());
      return;
    }
    const user = this.options.auth.authenticate(req.headers.authorization);
    if (this.handleDiscovery(req, res, path)) {
      this.options.counters.record('discovery', path);
      return;
    }
    const target = this.parseResourcePath(path);
    if (!target) throw Errors.pathNotFound();
    await this.handleResource(req, res, url, target, user);
  }

  private sendJson(res: http.ServerResponse, code: number, body: unknown) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private sendError(res: http.ServerResponse, err: unknown) {
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (err instanceof PatchError || err instanceof SelectorError) {
      apiError = Errors.badRequest(err.message);
    } else {
      apiError = Errors.internal(
        err instanceof Error ? err.message : String(err),
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    this.sendJson(res, apiError.code, apiError.toStatus());
  }

  private async handleControl(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ) {
    const { faults, counters } = this.options;
    if (path === '/_simulator/faults') {
      if (req.method === 'POST' || req.method === 'PUT') {
        const body = (parseJson((await readBody(req)) || '{}') ?? {}) as Record<
          string,
          unknown
        >;
        if (body.reset) faults.reset();
        faults.set(body);
        if (body.dropWatches) faults.dropWatches();
        if (body.forceGone) faults.forceGone();
      }
      this.sendJson(res, 200, faults.snapshot());
      return;
    }
    if (path === '/_simulator/counters') {
      this.sendJson(res, 200, counters.snapshot());
      return;
    }
    if (path === '/_simulator/counters/reset' && req.method === 'POST') {
      counters.reset();
      this.sendJson(res, 200, counters.snapshot());
      return;
    }
    throw Errors.pathNotFound();
  }

  private handleDiscovery(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ): boolean {
    const { registry } = this.options.store;
    if (req.method !== 'GET') return false;
    if (path === '/version') {
      this.sendJson(res, 200, SERVER_VERSION);
      return true;
    }
    if (path === '/api') {
      this.sendJson(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
      return true;
    }
    if (path === '/api/v1') {
      this.sendJson(res, 200, apiResourceList(registry, '', 'v1'));
      return true;
    }
    if (path === '/apis') {
      this.sendJson(res, 200, apiGroupList(registry));
      return true;
    }
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (m) {
      if (!m[2]) {
        const doc = apiGroupDocument(registry, m[1]);
        if (!doc) throw Errors.pathNotFound();
        this.sendJson(res, 200, doc);
        return true;
      }
      if (registry.inGroupVersion(m[1], m[2]).length === 0) {
        throw Errors.pathNotFound();
      }
      this.sendJson(res, 200, apiResourceList(registry, m[1], m[2]));
      return true;
    }
    return false;
  }

  private parseResourcePath(path: string): ResourcePath | undefined {
    let group: string;
    let version: string;
    let segs: string[];
    const parts = path.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] === 'api' && parts.length >= 3) {
      group = '';
      version = parts[1];
      segs = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 4) {
      group = parts[1];
      version = parts[2];
      segs = parts.slice(3);
    } else {
      return undefined;
    }
    let legacyWatch = false;
    if (segs[0] === 'watch') {
      legacyWatch = true;
      segs = segs.slice(1);
    }
    let namespace: string | undefined;
    let rest: string[];
    if (
      segs[0] === 'namespaces' &&
      segs.length >= 3 &&
      !(segs.length === 3 && ['status', 'finalize'].includes(segs[2]))
    ) {
      namespace = segs[1];
      rest = segs.slice(2);
    } else {
      rest = segs;
    }
    const [plural, name, subresource, ...tail] = rest;
    const resource = this.options.store.registry.find(group, version, plural);
    if (!resource) return undefined;
    if (resource.namespaced === false && namespace) return undefined;
    return {
      resource,
      version,
      namespace,
      name,
      subresource,
      proxyPath: subresource === 'proxy' ? `/${tail.join('/')}` : undefined,
      legacyWatch,
    };
  }

  private verbOf(method: string, target: ResourcePath, url: URL): string {
    const watch =
      target.legacyWatch ||
      ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    switch (method) {
      case 'GET':
        if (watch) return 'watch';
        return target.name ? 'get' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return target.name ? 'delete' : 'deletecollection';
      default:
        return method.toLowerCase();
    }
  }

  private async handleResource(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    target: ResourcePath,
    user: TokenConfig,
  ) {
    const method = req.method ?? 'GET';
    const { resource } = target;
    const verb = this.verbOf(method, target, url);
    const access: AccessRequest = {
      verb,
      group: resource.group,
      plural: resource.plural,
      subresource: target.subresource,
      namespace: target.namespace,
      name: target.name,
    };
    this.options.counters.record(
      target.subresource ? `${verb} ${target.subresource}` : verb,
      qualifiedResource(resource.group, resource.plural),
    );
    this.options.auth.authorize(user, access);

    if (target.subresource === 'proxy') {
      await this.handleProxy(req, res, target);
      return;
    }
    if (target.subresource && target.subresource !== 'status') {
      throw Errors.pathNotFound();
    }
    switch (verb) {
      case 'list':
        this.handleList(req, res, url, target);
        return;
      case 'watch':
        this.handleWatch(req, res, url, target);
        return;
      case 'get':
        this.handleGet(req, res, target);
        return;
      case 'create':
        await this.handleCreate(req, res, target);
        return;
      case 'update':
        await this.handleUpdate(req, res, target);
        return;
      case 'patch':
        await this.handlePatch(req, res, target);
        return;
      case 'delete':
        this.handleDelete(res, target);
        return;
      default:
        throw Errors.methodNotAllowed(verb);
    }
  }

  private wantsTable(req: http.IncomingMessage): boolean {
    return /as=Table/.test(req.headers.accept ?? '');
  }

  private selectors(url: URL, resource: ResourceType) {
    const label = url.searchParams.get('labelSelector');
    const field = url.searchParams.get('fieldSelector');
    return {
      labels: label ? parseLabelSelector(label) : [],
      fields: field ? parseFieldSelector(field, resource.kind) : [],
    };
  }

  private handleList(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    target: ResourcePath,
  ) {
    const { store, clock } = this.options;
    const { resource, version } = target;
    const { labels, fields } = this.selectors(url, resource);
    let entries = store
      .list(resource, target.namespace)
      .filter(
        e =>
          (labels.length === 0 ||
            matchesLabels(labels, e.object.metadata.labels)) &&
          (fields.length === 0 || matchesFields(fields, e.object)),
      );
    const rv = String(store.resourceVersion);
    const limit = Number(url.searchParams.get('limit') ?? 0);
    const cont = url.searchParams.get('continue');
    if (cont) {
      const after = Buffer.from(cont, 'base64').toString('utf8');
      entries = entries.filter(
        e =>
          `${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}` >
          after,
      );
    }
    let continueToken: string | undefined;
    let remaining: number | undefined;
    if (limit > 0 && entries.length > limit) {
      remaining = entries.length - limit;
      entries = entries.slice(0, limit);
      const last = entries[entries.length - 1].object.metadata;
      continueToken = Buffer.from(
        `${last.namespace ?? ''}/${last.name}`,
      ).toString('base64');
    }
    const apiVersion = groupVersion(resource.group, version);
    if (this.wantsTable(req)) {
      const table = toTable(
        resource,
        entries.map(e => withVersion(e.object, apiVersion)),
        rv,
        clock.now(),
        url.searchParams.get('includeObject') ?? 'Metadata',
      );
      if (continueToken) {
        (table.metadata as Record<string, unknown>).continue = continueToken;
      }
      this.sendJson(res, 200, table);
      return;
    }
    const meta: Record<string, unknown> = { resourceVersion: rv };
    if (continueToken) {
      meta.continue = continueToken;
      meta.remainingItemCount = remaining;
    }
    const items = entries
      .map(e => serialise(e.body, apiVersion, resource.kind))
      .join(',');
    this.sendJson(
      res,
      200,
      `{"kind":${JSON.stringify(
        resource.listKind,
      )},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(
        meta,
      )},"items":[${items}]}`,
    );
  }

  private entryOrThrow(target: ResourcePath): StoredEntry {
    const { resource, namespace, name } = target;
    const entry = this.options.store.getEntry(resource, namespace, name ?? '');
    if (!entry)
      throw Errors.notFound(resource.group, resource.plural, name ?? '');
    return entry;
  }

  private handleGet(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: ResourcePath,
  ) {
    const entry = this.entryOrThrow(target);
    const { resource, version } = target;
    const apiVersion = groupVersion(resource.group, version);
    if (this.wantsTable(req)) {
      this.sendJson(
        res,
        200,
        toTable(
          resource,
          [withVersion(entry.object, apiVersion)],
          String(entry.resourceVersion),
          this.options.clock.now(),
          'Metadata',
        ),
      );
      return;
    }
    this.sendJson(res, 200, serialise(entry.body, apiVersion, resource.kind));
  }

  private respondObject(
    res: http.ServerResponse,
    code: number,
    obj: KubeObject,
    target: ResourcePath,
  ) {
    this.sendJson(
      res,
      code,
      withVersion(obj, groupVersion(target.resource.group, target.version)),
    );
  }

  private checkBody(obj: KubeObject, target: ResourcePath) {
    if (!obj || typeof obj !== 'object' || !obj.metadata) {
      throw Errors.badRequest('Object "metadata" is missing');
    }
    if (obj.kind && obj.kind !== target.resource.kind) {
      throw Errors.badRequest(
        `the kind of the body (${obj.kind}) does not match the resource (${target.resource.kind})`,
      );
    }
    obj.kind = target.resource.kind;
    obj.apiVersion = groupVersion(target.resource.group, target.version);
    if (target.namespace) {
      if (
        obj.metadata.namespace &&
        obj.metadata.namespace !== target.namespace
      ) {
        throw Errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      obj.metadata.namespace = target.namespace;
    }
  }

  private async handleCreate(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: ResourcePath,
  ) {
    const obj = parseJson(await readBody(req)) as KubeObject;
    this.checkBody(obj, target);
    if (target.resource.namespaced && !target.namespace) {
      throw Errors.pathNotFound();
    }
    if (target.resource.namespaced) {
      const ns = this.options.store.registry.forKind('v1', 'Namespace');
      if (!this.options.store.get(ns, undefined, target.namespace!)) {
        throw Errors.notFound('', 'namespaces', target.namespace!);
      }
    }
    this.respondObject(res, 201, this.options.store.create(obj), target);
  }

  /** Keeps `status` from the stored object, or takes only `status` (status subresource). */
  private mergeSubresource(
    current: KubeObject,
    next: KubeObject,
    target: ResourcePath,
  ): KubeObject {
    if (target.subresource === 'status') {
      const merged = structuredClone(current);
      if (next.status === undefined) delete merged.status;
      else merged.status = next.status;
      merged.metadata.resourceVersion = next.metadata.resourceVersion;
      return merged;
    }
    if (hasStatusSubresource(target.resource)) {
      const merged = { ...next };
      if (current.status === undefined) delete merged.status;
      else merged.status = current.status;
      return merged;
    }
    return next;
  }

  private async handleUpdate(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: ResourcePath,
  ) {
    const obj = parseJson(await readBody(req)) as KubeObject;
    this.checkBody(obj, target);
    if (obj.metadata.name !== target.name) {
      throw Errors.badRequest(
        'the name of the object does not match the name on the URL',
      );
    }
    const current = this.entryOrThrow(target).object;
    const next = this.mergeSubresource(current, obj, target);
    this.respondObject(
      res,
      200,
      this.options.store.update(next, obj.metadata.resourceVersion),
      target,
    );
  }

  private async handlePatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: ResourcePath,
  ) {
    const contentType = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const patch = parseJson(await readBody(req));
    const current = this.entryOrThrow(target).object;
    let patched: KubeObject;
    switch (contentType) {
      case 'application/merge-patch+json':
      // Strategic merge is applied as a merge patch: lists are replaced whole.
      // eslint-disable-next-line no-fallthrough
      case 'application/strategic-merge-patch+json':
        patched = applyMergePatch(current, patch) as KubeObject;
        break;
      case 'application/json-patch+json':
        patched = applyJsonPatch(current, patch as never) as KubeObject;
        break;
      default:
        throw Errors.unsupportedMediaType(contentType);
    }
    if (!patched || typeof patched !== 'object' || !patched.metadata) {
      throw Errors.badRequest('patch removed the object metadata');
    }
    patched.apiVersion = current.apiVersion;
    patched.kind = current.kind;
    patched.metadata.name = current.metadata.name;
    const expectedRv =
      patched.metadata.resourceVersion !== current.metadata.resourceVersion
        ? patched.metadata.resourceVersion
        : undefined;
    const next = this.mergeSubresource(current, patched, target);
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (expectedRv) {
      throw Errors.conflict(
        target.resource.group,
        target.resource.plural,
        current.metadata.name,
      );
    }
    this.respondObject(res, 200, this.options.store.update(next), target);
  }

  private handleDelete(res: http.ServerResponse, target: ResourcePath) {
    const { resource, namespace, name } = target;
    const deleted = this.options.store.delete(resource, namespace, name ?? '');
    this.respondObject(res, 200, deleted, target);
  }

  private async handleProxy(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: ResourcePath,
  ) {
    if (
      target.resource.kind !== 'Service' ||
      !target.namespace ||
      !target.name
    ) {
      throw Errors.pathNotFound();
    }
    const parts = target.name.split(':');
    const [service, port] =
      parts.length === 3 ? [parts[1], parts[2]] : [parts[0], parts[1]];
    const svcEntry = this.options.store.getEntry(
      target.resource,
      target.namespace,
      service,
    );
    if (!svcEntry) throw Errors.notFound('', 'services', service);
    const handler = this.options.proxy(target.namespace, service, port);
    if (!handler) {
      throw Errors.unavailable(
        `no endpoints available for service "${service}"`,
      );
    }
    const body = await readBody(req);
    const answer = handler({
      method: req.method ?? 'GET',
      path: target.proxyPath ?? '/',
      body,
    });
    res.writeHead(answer.status, {
      'Content-Type': answer.contentType ?? 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(answer.body),
    });
    res.end(answer.body);
  }

  private handleWatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    target: ResourcePath,
  ) {
    const { store } = this.options;
    const { resource, version } = target;
    const apiVersion = groupVersion(resource.group, version);
    const { labels, fields } = this.selectors(url, resource);
    if (target.name) {
      fields.push({ path: 'metadata.name', op: 'eq', value: target.name });
    }
    const table = this.wantsTable(req);
    const key = resourceKey(resource);
    const rvParam = url.searchParams.get('resourceVersion') ?? '';
    const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
    const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);

    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();

    const matches = (obj: KubeObject | undefined) =>
      !!obj &&
      (!target.namespace || obj.metadata.namespace === target.namespace) &&
      (labels.length === 0 || matchesLabels(labels, obj.metadata.labels)) &&
      (fields.length === 0 || matchesFields(fields, obj));

    const write = (type: string, obj: KubeObject, body?: string) => {
      let objectJson: string;
      if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
        objectJson = JSON.stringify(
          toTable(
            resource,
            [withVersion(obj, apiVersion)],
            obj.metadata.resourceVersion ?? '',
            this.options.clock.now(),
            'Object',
          ),
        );
      } else {
        objectJson = body
          ? serialise(body, apiVersion, resource.kind)
          : JSON.stringify(obj);
      }
      res.write(`{"type":"${type}","object":${objectJson}}\n`);
    };

    let lastRv = store.resourceVersion;
    const send = (event: StoreEvent) => {
      if (event.resourceKey !== key) return;
      lastRv = event.resourceVersion;
      const now = matches(event.object);
      const before = event.type === 'MODIFIED' && matches(event.previous);
      if (event.type === 'MODIFIED') {
        if (now && before) write('MODIFIED', event.object, event.body);
        else if (now) write('ADDED', event.object, event.body);
        else if (before) write('DELETED', event.object, event.body);
      } else if (now) {
        write(event.type, event.object, event.body);
      }
    };

    if (rvParam === '' || rvParam === '0') {
      for (const e of store.list(resource, target.namespace)) {
        if (matches(e.object)) write('ADDED', e.object, e.body);
      }
    } else {
      const since = Number(rvParam);
      const events = Number.isFinite(since)
        ? store.eventsSince(since)
        : undefined;
      if (!events) {
        const status = Errors.gone(
          rvParam,
          store.oldestWatchableVersion,
        ).toStatus();
        res.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
        return;
      }
      events.forEach(send);
    }

    const bookmark = () =>
      write('BOOKMARK', {
        apiVersion,
        kind: resource.kind,
        metadata: {
          name: '',
          resourceVersion: String(Math.max(lastRv, store.resourceVersion)),
        },
      });

    const unsubscribe = store.subscribe(send);
    const timers: NodeJS.Timeout[] = [];
    const watch: OpenWatch = {
      res,
      close: action => {
        if (!this.watches.delete(watch)) return;
        unsubscribe();
        timers.forEach(t => clearInterval(t));
        if (action === 'drop') {
          res.destroy();
        } else if (action === 'gone') {
          const status = Errors.gone(
            String(lastRv),
            store.oldestWatchableVersion,
          ).toStatus();
          res.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
        } else {
          if (bookmarks) bookmark();
          res.end();
        }
      },
    };
    this.watches.add(watch);
    if (bookmarks) {
      const t = setInterval(bookmark, this.options.bookmarkIntervalMs ?? 15000);
      t.unref();
      timers.push(t);
    }
    if (timeoutSeconds > 0) {
      const t = setTimeout(() => watch.close('timeout'), timeoutSeconds * 1000);
      t.unref();
      timers.push(t);
    }
    req.on('close', () => watch.close('drop'));
  }
}
