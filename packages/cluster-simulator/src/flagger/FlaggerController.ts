import { Clock, TimerHandle } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import { EventRecorder } from '../util/EventRecorder';
import { parseDuration } from '../util/time';
import { ClusterComponent, StoreEvent } from '../types';
import { MetricAnalysis } from './analysis/MetricAnalysis';
import { CanaryStatusWriter } from './canary/CanaryStatusWriter';
import { DeploymentController } from './canary/DeploymentController';
import { CanaryHooks } from './hooks/CanaryHooks';
import { ServiceCaller, WebhookCaller } from './hooks/WebhookCaller';
import { computeSpecHash } from '../util/hash';
import { Canary, FLAGGER_API_VERSION } from './model';
import { canaryKey } from './names';
import { CanaryEvents } from './recorder/CanaryEvents';
import { FlaggerMetrics } from './recorder/FlaggerMetrics';
import { RouterFactory } from './router/RouterFactory';
import { FlaggerParts } from './scheduler/CanaryRun';
import { CanaryScheduler } from './scheduler/CanaryScheduler';
import { TrafficModel } from './TrafficModel';

const DEFAULT_INTERVAL_MS = 60_000;

/** What Flagger needs of its cluster (a SimulatedCluster). */
export interface FlaggerCluster {
  readonly store: ObjectStore;
  readonly clock: Clock;
  callService: ServiceCaller;
}

export interface FlaggerControllerOptions {
  cluster: FlaggerCluster;
  events: EventRecorder;
  traffic: TrafficModel;
}

/** Wires the scheduler's collaborators for one cluster. */
function createParts(options: FlaggerControllerOptions): FlaggerParts {
  const { cluster, traffic } = options;
  const store = cluster.store;
  const now = () => cluster.clock.now();
  const events = new CanaryEvents(options.events);
  const status = new CanaryStatusWriter(store);
  const webhooks = new WebhookCaller((url, method, body) =>
    cluster.callService(url, method, body),
  );
  const metrics = new FlaggerMetrics();
  return {
    store,
    now,
    status,
    events,
    metrics,
    deployments: new DeploymentController(store),
    hooks: new CanaryHooks({ webhooks, events, status, now }),
    analysis: new MetricAnalysis({
      store,
      traffic,
      webhooks,
      events,
      recordAnalysis: (cd, metric, value) =>
        metrics.setAnalysis(cd, metric, value),
    }),
    routers: new RouterFactory(store, traffic),
  };
}

/**
 * Plays Flagger (v1.44, mesh provider istio, Deployment targets) for every
 * Canary of one cluster: one job per canary ticking every `analysis.interval`
 * on the simulated clock, each tick one run of the CanaryScheduler.
 */
export class FlaggerController implements ClusterComponent {
  private readonly store: ObjectStore;
  private readonly parts: FlaggerParts;
  private readonly scheduler: CanaryScheduler;
  private readonly jobs = new Map<
    string,
    { interval: number; timer: TimerHandle }
  >();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: FlaggerControllerOptions) {
    this.store = options.cluster.store;
    this.parts = createParts(options);
    this.scheduler = new CanaryScheduler(this.parts);
  }

  start(): void {
    for (const c of this.store.listObjects(FLAGGER_API_VERSION, 'Canary')) {
      const cd = c as Canary;
      // Existing canaries tick at spread offsets, as after a Flagger restart.
      const interval = this.intervalOf(cd);
      const offset = computeSpecHash(canaryKey(cd)).charCodeAt(0) * 7919;
      this.schedule(cd, offset % interval);
      this.parts.metrics.setStatus(cd, cd.status?.phase ?? '');
    }
    this.unsubscribe = this.store.subscribe(e => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const job of this.jobs.values()) job.timer.cancel();
    this.jobs.clear();
  }

  /** One scheduler run for one canary. Public so tests can drive a canary directly. */
  advance(namespace: string, name: string): void {
    this.scheduler.advance(namespace, name);
  }

  /** Flagger's own Prometheus metrics (pkg/metrics/recorder.go). */
  renderMetrics(): string {
    return this.parts.metrics.render();
  }

  private intervalOf(cd: Canary): number {
    return parseDuration(cd.spec.analysis?.interval, DEFAULT_INTERVAL_MS);
  }

  private onEvent(event: StoreEvent): void {
    if (event.resourceKey !== 'flagger.app/canaries') return;
    const key = `${event.namespace}/${event.name}`;
    if (event.type === 'DELETED') {
      this.jobs.get(key)?.timer.cancel();
      this.jobs.delete(key);
      this.parts.metrics.delete(key);
      return;
    }
    const cd = event.object as Canary;
    const job = this.jobs.get(key);
    if (!job || job.interval !== this.intervalOf(cd)) {
      job?.timer.cancel();
      this.schedule(cd, 0);
    }
    if (event.type === 'ADDED' && !cd.status?.conditions) {
      // The controller's sync handler marks new canaries Initializing at once.
      this.options.cluster.clock.schedule(0, () =>
        this.setInitializing(event.namespace, event.name),
      );
    }
  }

  private setInitializing(namespace: string, name: string): void {
    const current = this.store.getByKind(
      FLAGGER_API_VERSION,
      'Canary',
      namespace,
      name,
    ) as Canary | undefined;
    if (current && !current.status?.conditions)
      this.parts.status.setInitializing(current, this.parts.now());
  }

  private schedule(cd: Canary, delay: number): void {
    const key = canaryKey(cd);
    const interval = this.intervalOf(cd);
    const run = (d: number) => {
      const timer = this.options.cluster.clock.schedule(d, () => {
        this.advance(cd.metadata.namespace ?? '', cd.metadata.name);
        if (this.jobs.get(key)?.timer === timer) run(interval);
      });
      this.jobs.set(key, { interval, timer });
    };
    run(delay);
  }
}
