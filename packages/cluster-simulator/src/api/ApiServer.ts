import http from 'node:http';
import { Clock } from '../clock';
import { AuditLog } from './audit';
import { AccessRequest, Authenticator } from './auth';
import { serveControl } from './controlRoutes';
import { serveDiscovery } from './discoveryRoutes';
import { FaultInjector, RequestCounters } from './faults';
import { sendError } from './http';
import { ObjectStore } from './ObjectStore';
import { AuthenticatedUser } from './identity';
import { handleGet, handleList } from './reads';
import { parseResourcePath, ResourcePath, verbOf } from './resourcePath';
import { handleProxy, ProxyResolver } from './serviceProxy';
import { ApiError, Errors, qualifiedResource } from './status';
import { OpenWatch, WatchStream } from './WatchStream';
import {
  handleCreate,
  handleDelete,
  handlePatch,
  handleUpdate,
} from './writes';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ApiServerOptions {
  store: ObjectStore;
  clock: Clock;
  auth: Authenticator;
  audit: AuditLog;
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

/**
 * The Kubernetes REST API over the store: routes each request (simulator
 * switches, faults, health and metrics, discovery, resources), authenticates
 * and authorizes it, counts it, and hands it to the handler of its verb.
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
    this.dispatch(req, res).catch(err => sendError(res, err));
  };

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const { faults, counters, store } = this.options;
    if (path.startsWith('/_simulator/')) {
      await serveControl(
        { faults, counters, audit: this.options.audit },
        req,
        res,
        path,
      );
      return;
    }
    if (faults.down) {
      req.socket.destroy();
      return;
    }
    const latencyMs = faults.latencyFor(path);
    if (latencyMs > 0) {
      await new Promise(r => setTimeout(r, latencyMs));
    }
    this.options.syncClock?.();
    if (faults.shouldFail(path)) throw this.simulatedFault(path);
    if (this.serveUnauthenticated(res, path)) return;
    const user = await this.options.auth.authenticate(
      req.headers.authorization,
    );
    if (serveDiscovery(store.registry, req, res, path)) {
      counters.record('discovery', path);
      return;
    }
    const target = parseResourcePath(store.registry, path);
    if (!target) throw Errors.pathNotFound();
    await this.handleResource(req, res, url, target, user);
  }

  /** Audits a write request (before authorization, so refused writes show as 403). */
  private recordWrite(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    user: AuthenticatedUser,
    access: AccessRequest,
  ) {
    if (!WRITE_METHODS.has(req.method ?? '')) return;
    const record = this.options.audit.recordWrite({
      user: user.user,
      groups: [...user.groups],
      method: user.method,
      verb: access.verb,
      group: access.group,
      resource: access.plural,
      ...(access.subresource ? { subresource: access.subresource } : {}),
      ...(access.namespace ? { namespace: access.namespace } : {}),
      ...(access.name ? { name: access.name } : {}),
      time: this.options.clock.now(),
      ...(req.headers['user-agent']
        ? { userAgent: req.headers['user-agent'] }
        : {}),
    });
    res.once('finish', () => {
      record.code = res.statusCode;
    });
  }

  private simulatedFault(path: string): ApiError {
    const { errorCode } = this.options.faults;
    return errorCode === 503
      ? Errors.unavailable('simulated fault: service unavailable')
      : new ApiError(
          errorCode,
          errorCode >= 500 ? 'InternalError' : 'BadRequest',
          `Internal error occurred: simulated fault on ${path}`,
        );
  }

  /** Health endpoints and /metrics, which need no token. */
  private serveUnauthenticated(res: http.ServerResponse, path: string) {
    if (['/healthz', '/readyz', '/livez'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return true;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(this.options.metrics());
      return true;
    }
    return false;
  }

  private async handleResource(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    target: ResourcePath,
    user: AuthenticatedUser,
  ) {
    const { store } = this.options;
    const { resource } = target;
    const verb = verbOf(req.method ?? 'GET', target, url);
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
    this.recordWrite(req, res, user, access);
    this.options.auth.authorize(user, access);

    if (target.subresource === 'proxy') {
      await handleProxy(store, this.options.proxy, req, res, target);
      return;
    }
    if (target.subresource && target.subresource !== 'status') {
      throw Errors.pathNotFound();
    }
    switch (verb) {
      case 'list':
        handleList(this.options, req, res, url, target);
        return;
      case 'watch':
        new WatchStream(
          { ...this.options, watches: this.watches },
          req,
          res,
          url,
          target,
        ).start();
        return;
      case 'get':
        handleGet(this.options, req, res, target);
        return;
      case 'create':
        await handleCreate(store, req, res, target);
        return;
      case 'update':
        await handleUpdate(store, req, res, target);
        return;
      case 'patch':
        await handlePatch(store, req, res, target);
        return;
      case 'delete':
        handleDelete(store, res, target);
        return;
      default:
        throw Errors.methodNotAllowed(verb);
    }
  }
}
