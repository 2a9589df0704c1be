import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { Clock } from '../clock';
import { KubeApiServer } from '../api/ApiServer';
import { ProxyHandler, ServiceHandler, ServicePort } from '../api/serviceProxy';
import { forwardTo, parseUpstreamUrl } from '../api/upstream';
import { AuditLog } from '../api/audit';
import { Authenticator, AuthSettings } from '../api/auth';
import { FaultInjector, RequestCounters } from '../api/faults';
import { ObjectStore } from '../api/ObjectStore';
import {
  applyJsonPatch,
  applyMergePatch,
  JsonPatchOperation,
} from '../api/patch';
import { ResourceRegistry } from '../api/resources';
import { Errors } from '../api/status';
import { FlaggerController } from '../flagger/FlaggerController';
import { Loadtester } from '../flagger/Loadtester';
import { FluxController } from '../flux/FluxController';
import { SourceHub } from '../flux/GitRemote';
import { WorkloadController } from '../workloads/WorkloadController';
import { HEALTH_P99_MS, HEALTH_SUCCESS_RATE } from '../util/simulatedHealth';
import { ClusterComponent, KubeObject } from '../types';
import { getOrCreate } from '../util/getOrCreate';

export interface SimulatedClusterOptions {
  name: string;
  registry: ResourceRegistry;
  clock: Clock;
  /** Sign-in methods at start (tokens, token files, OIDC, anonymous). */
  auth: AuthSettings;
  seed: number;
  syncClock?: () => void;
}

/**
 * Direct object access for tests and scenarios. Changes go through the same
 * store as API writes: they bump resourceVersion and reach watchers.
 * Objects returned are copies.
 */
export class ObjectAccess {
  constructor(private readonly store: ObjectStore) {}

  create(obj: KubeObject): KubeObject {
    return structuredClone(this.store.create(obj));
  }

  /** Creates or replaces. */
  apply(obj: KubeObject): KubeObject {
    return structuredClone(this.store.upsert(obj));
  }

  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ) {
    const obj = this.store.getByKind(apiVersion, kind, namespace, name);
    return obj ? structuredClone(obj) : undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    return this.store
      .listObjects(apiVersion, kind, namespace)
      .map(o => structuredClone(o));
  }

  /** Merge patch (object) or JSON patch (array of operations). Status is patchable here. */
  patch(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    patch: Record<string, unknown> | JsonPatchOperation[],
  ): KubeObject {
    const resource = this.store.registry.forKind(apiVersion, kind);
    const current = this.store.get(resource, namespace, name);
    if (!current) throw Errors.notFound(resource.group, resource.plural, name);
    const next = (
      Array.isArray(patch)
        ? applyJsonPatch(current, patch)
        : applyMergePatch(current, patch)
    ) as KubeObject;
    return structuredClone(this.store.update(next));
  }

  delete(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ) {
    const resource = this.store.registry.forKind(apiVersion, kind);
    return structuredClone(this.store.delete(resource, namespace, name));
  }
}

/**
 * One simulated cluster: its object store, API server, fault switches,
 * request counters, in-cluster services reachable through the service proxy,
 * and the controllers that play Flux, Flagger and the workload controllers.
 */
export class SimulatedCluster {
  readonly name: string;
  readonly store: ObjectStore;
  readonly faults: FaultInjector;
  readonly counters = new RequestCounters();
  /** Who made each write request. */
  readonly audit = new AuditLog();
  /** The sign-in methods, changeable while running. */
  readonly auth: Authenticator;
  readonly objects: ObjectAccess;
  readonly api: KubeApiServer;
  readonly clock: Clock;
  private readonly components: ClusterComponent[] = [];
  /** The controllers playing Flagger and Flux (set up by the simulator). */
  readonly controllers: {
    flagger?: FlaggerController;
    flux?: FluxController;
    workloads?: WorkloadController;
  } = {};
  /** The Git/OCI remotes this cluster's Flux sources fetch from. */
  sources = new SourceHub();
  private readonly services = new Map<string, ServiceHandler>();
  /** `<namespace>/<service>:<port>` -> a real server answering that Service port. */
  private readonly upstreams = new Map<string, ProxyHandler>();
  private readonly loadtesters = new Map<string, Loadtester>();
  private readonly metricSources: Array<() => string> = [];
  private server: http.Server | https.Server | undefined;
  url = '';

  constructor(options: SimulatedClusterOptions) {
    this.name = options.name;
    this.clock = options.clock;
    this.store = new ObjectStore({
      registry: options.registry,
      clock: options.clock,
      seed: options.seed,
    });
    this.faults = new FaultInjector(options.seed);
    this.objects = new ObjectAccess(this.store);
    this.auth = new Authenticator({
      awsClusterId: options.name,
      ...options.auth,
    });
    this.api = new KubeApiServer({
      store: this.store,
      clock: options.clock,
      auth: this.auth,
      audit: this.audit,
      faults: this.faults,
      counters: this.counters,
      proxy: (ns, svc, port) => this.resolveProxyTarget(ns, svc, port),
      metrics: () => this.metricSources.map(m => m()).join(''),
      syncClock: options.syncClock,
    });
  }

  /**
   * Registers a simulated service: what answers `http://<service>.<namespace>`
   * for the simulated controllers and, on every port of the Service, the
   * service proxy.
   */
  registerService(
    namespace: string,
    service: string,
    handler: ServiceHandler,
  ): void {
    this.services.set(`${namespace}/${service}`, handler);
  }

  /**
   * Makes the service proxy forward requests for one port of a Service
   * (`/api/v1/namespaces/<namespace>/services/[http:]<service>:<port>/proxy/...`,
   * or the port's name) to a real server at `baseUrl`, as the API server
   * forwards to the Service's endpoint; an unreachable server gets the API
   * server's 503 `error trying to reach service: dial tcp ...`. The Service
   * itself must exist (with that port) for the proxy to answer. Returns a
   * function that removes the registration (the Service then has no
   * endpoints again).
   */
  registerUpstream(
    namespace: string,
    service: string,
    port: number,
    baseUrl: string,
    options: { ca?: string } = {},
  ): () => void {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(
        `upstream port for service ${namespace}/${service} must be an integer from 1 to 65535, got ${port}`,
      );
    }
    parseUpstreamUrl(baseUrl);
    const key = `${namespace}/${service}:${port}`;
    const handler = forwardTo({ baseUrl, ca: options.ca });
    this.upstreams.set(key, handler);
    return () => {
      if (this.upstreams.get(key) === handler) this.upstreams.delete(key);
    };
  }

  /**
   * The flagger-loadtester of a namespace: every namespace with a Service of
   * that name gets one (gates are per loadtester, as in Flagger).
   */
  loadtester(namespace: string): Loadtester {
    return getOrCreate(this.loadtesters, namespace, () => new Loadtester());
  }

  /** What answers a Service port through the service proxy: an upstream, else a simulated service. */
  private resolveProxyTarget(
    namespace: string,
    service: string,
    port: ServicePort,
  ): ProxyHandler | undefined {
    return (
      this.upstreams.get(`${namespace}/${service}:${port.port}`) ??
      this.resolveService(namespace, service)
    );
  }

  private resolveService(
    namespace: string,
    service: string,
  ): ServiceHandler | undefined {
    const registered = this.services.get(`${namespace}/${service}`);
    if (registered) return registered;
    if (service === 'flagger-loadtester')
      return this.loadtester(namespace).handle;
    return undefined;
  }

  /** Calls an in-cluster service by URL, as a controller inside the cluster would. */
  callService(
    url: string,
    method: string,
    body: string,
  ): { status: number; body: string } {
    const u = new URL(url);
    const [service, namespace = 'default'] = u.hostname.split('.');
    const exists = this.store.getByKind('v1', 'Service', namespace, service);
    const handler = exists
      ? this.resolveService(namespace, service)
      : undefined;
    if (!handler) {
      return {
        status: 0,
        body: `Post "${url}": dial tcp: lookup ${u.hostname}: no such host`,
      };
    }
    return handler({ method, path: u.pathname, body });
  }

  /**
   * A new revision of a Deployment, as `kubectl set image` would make it:
   * changes the first container's image and, optionally, the health its pods
   * will show in the simulated telemetry. Flagger picks it up on its next run.
   */
  releaseRevision(
    namespace: string,
    deployment: string,
    release: { image: string; successRate?: number; p99Ms?: number },
  ): KubeObject {
    const updated = this.store.mutate(
      'apps/v1',
      'Deployment',
      namespace,
      deployment,
      d => {
        const template = (
          d.spec as {
            template: {
              metadata?: { annotations?: Record<string, string> };
              spec: { containers: Array<{ image?: string }> };
            };
          }
        ).template;
        template.spec.containers[0].image = release.image;
        const annotations = { ...(template.metadata?.annotations ?? {}) };
        if (release.successRate !== undefined) {
          annotations[HEALTH_SUCCESS_RATE] = String(release.successRate);
        }
        if (release.p99Ms !== undefined)
          annotations[HEALTH_P99_MS] = String(release.p99Ms);
        template.metadata = { ...(template.metadata ?? {}), annotations };
      },
    );
    if (!updated) throw Errors.notFound('apps', 'deployments', deployment);
    return structuredClone(updated);
  }

  addMetrics(source: () => string): void {
    this.metricSources.push(source);
  }

  addComponent(component: ClusterComponent): void {
    this.components.push(component);
  }

  startComponents(): void {
    for (const c of this.components) c.start();
  }

  async listen(options: {
    port: number;
    host: string;
    tls?: { cert: string; key: string };
  }): Promise<string> {
    const server = options.tls
      ? https.createServer(
          { cert: options.tls.cert, key: options.tls.key },
          this.api.handle,
        )
      : http.createServer(this.api.handle);
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const host = options.host.includes(':')
      ? `[${options.host}]`
      : options.host;
    this.url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const c of this.components) c.stop();
    this.api.closeAll();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  }
}
