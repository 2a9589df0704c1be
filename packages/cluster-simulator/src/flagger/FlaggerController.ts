import { TimerHandle } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import {
  ClusterComponent,
  SimulatedCluster,
} from '../cluster/SimulatedCluster';
import { EventRecorder, EventType } from '../util/EventRecorder';
import { goDuration, parseDuration } from '../util/time';
import { KubeObject, StoreEvent } from '../types';
import { CanaryStatusWriter } from './CanaryStatusWriter';
import { syncPrimaryConfigs, trackedConfigs } from './configTracker';
import {
  Canary,
  CanaryMetric,
  CanaryPhase,
  CanaryWebhook,
  FLAGGER_API_VERSION,
  computeSpecHash,
  generatedDestinationRules,
  generatedServices,
  generatedVirtualService,
  primaryDeployment,
  readRoutes,
  serviceNames,
  weightedRoutes,
} from './model';
import { TrafficModel } from './TrafficModel';

type Deployment = KubeObject & {
  spec: {
    replicas?: number;
    template: { metadata?: { labels?: Record<string, string> } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
};

const TOTAL_WEIGHT = 100;
const DEFAULT_INTERVAL_MS = 60_000;

export interface FlaggerControllerOptions {
  cluster: SimulatedCluster;
  events: EventRecorder;
  traffic: TrafficModel;
}

/**
 * Plays Flagger (v1.44, mesh provider istio, Deployment targets) for every
 * Canary of one cluster: one job per canary ticking every `analysis.interval`
 * on the simulated clock, running the scheduler's steps (pkg/controller/
 * scheduler.go) with its phases, status fields, conditions, events, webhooks
 * through the simulated loadtester, routing through the generated
 * VirtualService, and metric checks against the TrafficModel.
 */
export class FlaggerController implements ClusterComponent {
  private readonly store: ObjectStore;
  private readonly status: CanaryStatusWriter;
  private readonly jobs = new Map<
    string,
    { interval: number; timer: TimerHandle }
  >();
  /** flagger_canary_status and flagger_canary_weight, as the recorder sets them. */
  private readonly gauges = new Map<
    string,
    {
      name: string;
      namespace: string;
      status: number;
      primary: number;
      canary: number;
    }
  >();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: FlaggerControllerOptions) {
    this.store = options.cluster.store;
    this.status = new CanaryStatusWriter(this.store);
  }

  private get now(): number {
    return this.options.cluster.clock.now();
  }

  start(): void {
    for (const c of this.store.listObjects(FLAGGER_API_VERSION, 'Canary')) {
      const cd = c as Canary;
      // Existing canaries tick at spread offsets, as after a Flagger restart.
      const interval = this.intervalOf(cd);
      const key = `${cd.metadata.namespace}/${cd.metadata.name}`;
      this.schedule(cd, (computeSpecHash(key).charCodeAt(0) * 7919) % interval);
      this.setGaugesFromStatus(cd);
    }
    this.unsubscribe = this.store.subscribe(e => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const job of this.jobs.values()) job.timer.cancel();
    this.jobs.clear();
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
      this.gauges.delete(key);
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
      this.options.cluster.clock.schedule(0, () => {
        const current = this.get(event.namespace, event.name);
        if (current && !current.status?.conditions)
          this.status.setInitializing(current, this.now);
      });
    }
  }

  private schedule(cd: Canary, delay: number): void {
    const key = `${cd.metadata.namespace}/${cd.metadata.name}`;
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

  private get(namespace: string, name: string): Canary | undefined {
    return this.store.getByKind(
      FLAGGER_API_VERSION,
      'Canary',
      namespace,
      name,
    ) as Canary | undefined;
  }

  private deployment(namespace: string, name: string): Deployment | undefined {
    return this.store.getByKind('apps/v1', 'Deployment', namespace, name) as
      | Deployment
      | undefined;
  }

  private event(cd: Canary, type: EventType, message: string): void {
    this.options.events.record(cd, type, 'Synced', message, 'flagger');
  }

  private id(cd: Canary): string {
    return `${cd.metadata.name}.${cd.metadata.namespace}`;
  }

  private targetId(cd: Canary): string {
    return `${cd.spec.targetRef.name}.${cd.metadata.namespace}`;
  }

  private setGauges(
    cd: Canary,
    values: Partial<{ status: number; primary: number; canary: number }>,
  ) {
    const key = `${cd.metadata.namespace}/${cd.metadata.name}`;
    const current = this.gauges.get(key) ?? {
      name: cd.spec.targetRef.name,
      namespace: cd.metadata.namespace ?? '',
      status: 1,
      primary: TOTAL_WEIGHT,
      canary: 0,
    };
    this.gauges.set(key, { ...current, ...values });
  }

  private setGaugesFromStatus(cd: Canary) {
    this.setGauges(cd, { status: this.statusGauge(cd.status?.phase ?? '') });
  }

  private statusGauge(phase: CanaryPhase): number {
    if (phase === 'Progressing') return 0;
    return phase === 'Failed' ? 2 : 1;
  }

  // ---- routing (pkg/router/istio.go) ----

  private virtualService(cd: Canary): KubeObject | undefined {
    return this.store.getByKind(
      'networking.istio.io/v1beta1',
      'VirtualService',
      cd.metadata.namespace,
      serviceNames(cd).apex,
    );
  }

  private setRoutes(cd: Canary, primary: number, canary: number): void {
    const apex = serviceNames(cd).apex;
    this.store.mutate(
      'networking.istio.io/v1beta1',
      'VirtualService',
      cd.metadata.namespace,
      apex,
      vs => {
        (vs.spec as { http: unknown[] }).http = weightedRoutes(
          cd,
          primary,
          canary,
        );
      },
    );
    this.options.traffic.setWeights(
      cd.metadata.namespace ?? '',
      cd.spec.targetRef.name,
      primary,
      canary,
    );
  }

  /** kubeRouter.Initialize/Reconcile and meshRouter.Reconcile: create what is missing. */
  private reconcileRouting(cd: Canary): void {
    for (const obj of [
      ...generatedServices(cd),
      ...generatedDestinationRules(cd),
    ]) {
      const existing = this.store.getByKind(
        obj.apiVersion,
        obj.kind,
        obj.metadata.namespace,
        obj.metadata.name,
      );
      if (!existing) this.store.create(obj);
      else if (JSON.stringify(existing.spec) !== JSON.stringify(obj.spec)) {
        this.store.update({ ...existing, spec: obj.spec });
      }
    }
    const vs = this.virtualService(cd);
    if (!vs) {
      this.store.create(generatedVirtualService(cd, TOTAL_WEIGHT, 0));
      return;
    }
    // Keep the current weights, update everything else.
    const weights = readRoutes(cd, vs);
    const desired = generatedVirtualService(
      cd,
      weights.primary,
      weights.canary,
    );
    if (JSON.stringify(desired.spec) !== JSON.stringify(vs.spec)) {
      this.store.update({ ...vs, spec: desired.spec });
    }
  }

  // ---- workload (pkg/canary/deployment_controller.go) ----

  private scale(namespace: string, name: string, replicas: number): void {
    this.store.mutate('apps/v1', 'Deployment', namespace, name, d => {
      (d.spec as { replicas?: number }).replicas = replicas;
    });
  }

  /** isDeploymentReady: an error message while a rollout is unfinished. */
  private deploymentNotReady(dep: Deployment): string | undefined {
    const status = dep.status ?? {};
    if ((dep.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
      return 'waiting for rollout to finish: observed deployment generation less than desired generation';
    }
    const desired = dep.spec.replicas ?? 1;
    const updated = status.updatedReplicas ?? 0;
    if (updated < desired) {
      return `waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated`;
    }
    if ((status.replicas ?? 0) > updated) {
      return `waiting for rollout to finish: ${
        (status.replicas ?? 0) - updated
      } old replicas are pending termination`;
    }
    const available = status.availableReplicas ?? 0;
    if (available < updated) {
      return `waiting for rollout to finish: ${available} of ${updated} (readyThreshold 100%) updated replicas are available`;
    }
    return undefined;
  }

  private primaryNotReady(cd: Canary): string | undefined {
    const name = `${cd.spec.targetRef.name}-primary`;
    const primary = this.deployment(cd.metadata.namespace ?? '', name);
    if (!primary) {
      return `deployment ${name}.${cd.metadata.namespace} get query error: deployments.apps "${name}" not found`;
    }
    const err = this.deploymentNotReady(primary);
    if (err) return `${name}.${cd.metadata.namespace} not ready: ${err}`;
    if (primary.spec.replicas === 0) {
      return `halt ${this.id(
        cd,
      )} advancement: primary deployment is scaled to zero`;
    }
    return undefined;
  }

  private canaryNotReady(cd: Canary, target: Deployment): string | undefined {
    const err = this.deploymentNotReady(target);
    return err
      ? `canary deployment ${this.targetId(cd)} not ready: ${err}`
      : undefined;
  }

  /** Promote: copy the target's pod template into the primary. */
  private promote(cd: Canary, target: Deployment): void {
    const ns = cd.metadata.namespace ?? '';
    const primary = this.deployment(ns, `${target.metadata.name}-primary`);
    if (!primary) return;
    const desired = primaryDeployment(cd, target, primary.spec.replicas);
    syncPrimaryConfigs(this.store, cd, desired);
    this.store.update({ ...primary, spec: desired.spec });
  }

  // ---- webhooks (pkg/controller/webhook.go) ----

  /** POSTs the webhook payload; returns the error Flagger would see, if any. */
  private callWebhook(
    cd: Canary,
    phase: CanaryPhase,
    hook: CanaryWebhook,
  ): string | undefined {
    const payload = {
      name: cd.metadata.name,
      namespace: cd.metadata.namespace,
      phase,
      checksum: cd.status?.lastAppliedSpec ?? '',
      metadata: hook.metadata ?? {},
    };
    const answer = this.options.cluster.callService(
      hook.url,
      'POST',
      JSON.stringify(payload),
    );
    if (answer.status === 0) return answer.body;
    if (answer.status > 202) return answer.body;
    return undefined;
  }

  private hooks(cd: Canary, type: string): CanaryWebhook[] {
    return (cd.spec.analysis?.webhooks ?? []).filter(
      w => (w.type ?? 'rollout') === type,
    );
  }

  private runConfirmRolloutHooks(cd: Canary): boolean {
    for (const hook of this.hooks(cd, 'confirm-rollout')) {
      if (this.callWebhook(cd, cd.status?.phase ?? '', hook) !== undefined) {
        if (cd.status?.phase !== 'Waiting') {
          this.status.setPhase(cd, 'Waiting', this.now);
          this.event(
            cd,
            'Warning',
            `Halt ${this.id(cd)} advancement waiting for approval ${hook.name}`,
          );
        }
        return false;
      }
      this.event(cd, 'Normal', `Confirm-rollout check ${hook.name} passed`);
    }
    return true;
  }

  private runConfirmPromotionHooks(cd: Canary): boolean {
    for (const hook of this.hooks(cd, 'confirm-promotion')) {
      if (this.callWebhook(cd, 'Progressing', hook) !== undefined) {
        if (cd.status?.phase !== 'WaitingPromotion') {
          this.status.setPhase(cd, 'WaitingPromotion', this.now);
          this.event(
            cd,
            'Warning',
            `Halt ${this.id(cd)} advancement waiting for promotion approval ${
              hook.name
            }`,
          );
        } else {
          this.status.setIterations(
            cd,
            (cd.spec.analysis?.iterations ?? 0) - 1,
            this.now,
          );
        }
        return false;
      }
      this.event(cd, 'Normal', `Confirm-promotion check ${hook.name} passed`);
    }
    return true;
  }

  private runConfirmTrafficIncreaseHooks(cd: Canary): boolean {
    for (const hook of this.hooks(cd, 'confirm-traffic-increase')) {
      if (this.callWebhook(cd, 'Progressing', hook) !== undefined) {
        this.event(
          cd,
          'Warning',
          `Halt ${this.id(
            cd,
          )} advancement waiting for traffic increase approval ${hook.name}`,
        );
        return false;
      }
      this.event(
        cd,
        'Normal',
        `Confirm-traffic-increase check ${hook.name} passed`,
      );
    }
    return true;
  }

  private runPreRolloutHooks(cd: Canary): boolean {
    for (const hook of this.hooks(cd, 'pre-rollout')) {
      const err = this.callWebhook(cd, 'Progressing', hook);
      if (err !== undefined) {
        this.event(
          cd,
          'Warning',
          `Halt ${this.id(cd)} advancement pre-rollout check ${
            hook.name
          } failed ${err}`,
        );
        return false;
      }
      this.event(cd, 'Normal', `Pre-rollout check ${hook.name} passed`);
    }
    return true;
  }

  private runPostRolloutHooks(cd: Canary, phase: CanaryPhase): void {
    for (const hook of this.hooks(cd, 'post-rollout')) {
      const err = this.callWebhook(cd, phase, hook);
      if (err !== undefined) {
        this.event(
          cd,
          'Warning',
          `Post-rollout hook ${hook.name} failed ${err}`,
        );
        return;
      }
      this.event(cd, 'Normal', `Post-rollout check ${hook.name} passed`);
    }
  }

  private runRollbackHooks(cd: Canary, phase: CanaryPhase): boolean {
    for (const hook of this.hooks(cd, 'rollback')) {
      if (this.callWebhook(cd, phase, hook) !== undefined) {
        this.event(
          cd,
          'Normal',
          `Rollback hook ${hook.name} not signaling a rollback`,
        );
      } else {
        this.event(cd, 'Warning', `Rollback check ${hook.name} passed`);
        return true;
      }
    }
    return false;
  }

  // ---- analysis (pkg/controller/scheduler_metrics.go) ----

  private runAnalysis(cd: Canary): boolean {
    for (const hook of this.hooks(cd, 'rollout')) {
      const err = this.callWebhook(cd, 'Progressing', hook);
      if (err !== undefined) {
        this.event(
          cd,
          'Warning',
          `Halt ${this.id(cd)} advancement external check ${
            hook.name
          } failed ${err}`,
        );
        return false;
      }
    }
    const metrics = cd.spec.analysis?.metrics ?? [];
    // Built-in metrics first, then templates, as runBuiltinMetricChecks/runMetricChecks.
    for (const metric of metrics.filter(m => !m.templateRef)) {
      if (!this.checkBuiltinMetric(cd, metric)) return false;
    }
    for (const metric of metrics.filter(m => m.templateRef)) {
      if (!this.checkTemplateMetric(cd, metric)) return false;
    }
    return true;
  }

  /** The violated bound of a thresholdRange, as `< min` or `> max`. */
  private violation(
    value: number,
    range: { min?: number; max?: number } | undefined,
  ): { op: '<' | '>'; bound: number } | undefined {
    if (range?.min !== undefined && value < range.min)
      return { op: '<', bound: range.min };
    if (range?.max !== undefined && value > range.max)
      return { op: '>', bound: range.max };
    return undefined;
  }

  private observe(cd: Canary) {
    return this.options.traffic.observe(
      cd.metadata.namespace ?? '',
      cd.spec.targetRef.name,
    );
  }

  private checkBuiltinMetric(cd: Canary, metric: CanaryMetric): boolean {
    const successRate = metric.name === 'request-success-rate';
    if (!successRate && metric.name !== 'request-duration') return true;
    const observed = this.observe(cd);
    if (!observed) {
      // The success-rate query appends the query error; the duration one does not.
      const suffix = successRate
        ? ': running query failed: no values found'
        : '';
      this.event(
        cd,
        'Warning',
        `Halt advancement no values found for istio metric ${
          metric.name
        } probably ${this.targetId(cd)} is not receiving traffic${suffix}`,
      );
      return false;
    }
    if (successRate) {
      const v = observed.successRate;
      const bad = this.violation(v, metric.thresholdRange);
      if (bad) {
        this.event(
          cd,
          'Warning',
          `Halt ${this.id(cd)} advancement success rate ${v.toFixed(2)}% ${
            bad.op
          } ${bad.bound}%`,
        );
      }
      return !bad;
    }
    // Istio's observer returns whole milliseconds, printed as Go durations.
    const ms = Math.floor(observed.p99Ms);
    const bad = this.violation(ms, metric.thresholdRange);
    if (bad) {
      this.event(
        cd,
        'Warning',
        `Halt ${this.id(cd)} advancement request duration ${goDuration(ms)} ${
          bad.op
        } ${goDuration(bad.bound)}`,
      );
    }
    return !bad;
  }

  /**
   * Custom metrics are answered from the same traffic model: a template whose
   * name mentions latency/duration yields the p99 in ms, error yields the
   * error percentage, anything else the success percentage.
   */
  private checkTemplateMetric(cd: Canary, metric: CanaryMetric): boolean {
    const ref = metric.templateRef!;
    const ns = ref.namespace || cd.metadata.namespace;
    const template = this.store.getByKind(
      FLAGGER_API_VERSION,
      'MetricTemplate',
      ns,
      ref.name,
    );
    if (!template) {
      this.event(
        cd,
        'Warning',
        `Metric template ${ref.name}.${ns} error: metrictemplate.flagger.app "${ref.name}" not found`,
      );
      return false;
    }
    const observed = this.observe(cd);
    if (!observed) {
      this.event(
        cd,
        'Warning',
        `Halt advancement no values found for custom metric: ${metric.name}: no values found`,
      );
      return false;
    }
    let value = observed.successRate;
    if (/latency|duration/.test(ref.name)) value = observed.p99Ms;
    else if (/error/.test(ref.name)) value = 100 - observed.successRate;
    const bad = this.violation(value, metric.thresholdRange);
    if (bad) {
      this.event(
        cd,
        'Warning',
        `Halt ${this.id(cd)} advancement ${metric.name} ${value.toFixed(2)} ${
          bad.op
        } ${bad.bound}`,
      );
    }
    return !bad;
  }

  // ---- the scheduler (pkg/controller/scheduler.go advanceCanary) ----

  private maxWeight(cd: Canary): number {
    const steps = cd.spec.analysis?.stepWeights ?? [];
    if (steps.length > 0)
      return Math.min(TOTAL_WEIGHT, steps[steps.length - 1]);
    return cd.spec.analysis?.maxWeight || TOTAL_WEIGHT;
  }

  private nextStepWeight(cd: Canary, canaryWeight: number): number {
    const analysis = cd.spec.analysis ?? {};
    const steps = analysis.stepWeights ?? [];
    if ((analysis.stepWeight ?? 0) > 0 || steps.length === 0)
      return analysis.stepWeight ?? 0;
    const maxStep = TOTAL_WEIGHT - canaryWeight;
    if (maxStep === 0) return 1;
    if (canaryWeight === 0) return Math.min(maxStep, steps[0]);
    for (let i = 0; i < steps.length - 1; i++) {
      if (steps[i] === canaryWeight)
        return Math.min(maxStep, steps[i + 1] - canaryWeight);
    }
    return maxStep;
  }

  /** One scheduler run for one canary. Public so tests can drive a canary directly. */
  advance(namespace: string, name: string): void {
    let cd = this.get(namespace, name);
    if (!cd) return;
    if (cd.spec.suspend) {
      this.event(cd, 'Normal', 'skipping canary run as object is suspended');
      return;
    }
    const target = this.deployment(namespace, cd.spec.targetRef.name);
    if (!target) {
      this.event(
        cd,
        'Warning',
        `deployment ${this.targetId(cd)} get query error: deployments.apps "${
          cd.spec.targetRef.name
        }" not found`,
      );
      return;
    }
    const phase = cd.status?.phase ?? '';
    const initializing = phase === '' || phase === 'Initializing';
    const skipAnalysis = !!cd.spec.skipAnalysis;

    this.reconcileRoutingServices(cd);
    if (!skipAnalysis && initializing) {
      this.event(cd, 'Normal', 'all the metrics providers are available!');
    }
    // Initialize: create the primary; while initializing, wait for it to be ready.
    const primaryName = `${cd.spec.targetRef.name}-primary`;
    if (!this.deployment(namespace, primaryName)) {
      const primary = primaryDeployment(cd, target);
      syncPrimaryConfigs(this.store, cd, primary);
      this.store.create(primary, true);
    }
    if (initializing) {
      const err = this.primaryNotReady(cd);
      if (err) {
        this.event(cd, 'Warning', err);
        return;
      }
      this.scale(namespace, cd.spec.targetRef.name, 0);
    }
    this.reconcileRouting(cd);

    if (initializing) {
      cd = this.status.syncStatus(
        cd,
        target,
        { phase: 'Initialized' },
        this.now,
      );
      this.setGauges(cd, { status: 1 });
      this.event(cd, 'Normal', `Initialization done! ${this.id(cd)}`);
    }

    // shouldAdvance
    const current = cd.status?.phase ?? '';
    let shouldAdvance = [
      'Progressing',
      'Waiting',
      'WaitingPromotion',
      'Promoting',
      'Finalising',
    ].includes(current);
    if (!shouldAdvance) {
      const before = cd;
      if (current === 'Failed') {
        this.status.syncStatus(cd, target, { ...cd.status }, this.now);
      }
      shouldAdvance = this.targetChanged(before, target);
    }
    if (!shouldAdvance) {
      this.setGauges(cd, { status: this.statusGauge(current) });
      return;
    }

    const maxWeight = this.maxWeight(cd);
    if (!skipAnalysis) {
      const err = this.primaryNotReady(cd);
      if (err) {
        this.event(cd, 'Warning', err);
        return;
      }
    }
    const routes = readRoutes(cd, this.virtualService(cd));
    let { primary: primaryWeight, canary: canaryWeight } = routes;
    this.setGauges(cd, { primary: primaryWeight, canary: canaryWeight });

    // checkCanaryStatus
    this.setGauges(cd, { status: this.statusGauge(current) });
    if (
      !['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'].includes(
        current,
      )
    ) {
      // Synced to Progressing first (so webhooks see the new checksum), then gated.
      cd = this.status.syncStatus(
        cd,
        target,
        { phase: 'Progressing' },
        this.now,
      );
      if (!this.runConfirmRolloutHooks(cd)) return;
      this.event(
        cd,
        'Normal',
        `New revision detected! Scaling up ${this.targetId(cd)}`,
      );
      const primary = this.deployment(namespace, primaryName);
      if ((target.spec.replicas ?? 0) === 0) {
        this.scale(
          namespace,
          cd.spec.targetRef.name,
          primary?.spec.replicas || 1,
        );
      }
      this.status.syncStatus(cd, target, { phase: 'Progressing' }, this.now);
      this.setGauges(cd, { status: 0 });
      return;
    }

    // hasCanaryRevisionChanged
    if (
      (current === 'Progressing' || current === 'WaitingPromotion') &&
      this.targetChanged(cd, target)
    ) {
      this.setRoutes(cd, TOTAL_WEIGHT, 0);
      cd = this.status.syncStatus(
        cd,
        target,
        {
          phase: 'Progressing',
          canaryWeight: 0,
          failedChecks: 0,
          iterations: 0,
        },
        this.now,
      );
      this.event(
        cd,
        'Normal',
        `New revision detected! Restarting analysis for ${this.targetId(cd)}`,
      );
      return;
    }

    const notReady = this.canaryNotReady(
      cd,
      this.deployment(namespace, cd.spec.targetRef.name) ?? target,
    );
    if (notReady) {
      this.event(cd, 'Warning', notReady);
      return;
    }

    if (skipAnalysis) {
      this.setRoutes(cd, TOTAL_WEIGHT, 0);
      this.setGauges(cd, { primary: TOTAL_WEIGHT, canary: 0 });
      this.event(
        cd,
        'Normal',
        `Copying ${this.targetId(
          cd,
        )} template spec to ${primaryName}.${namespace}`,
      );
      this.promote(cd, target);
      this.scale(namespace, cd.spec.targetRef.name, 0);
      this.status.setPhase(cd, 'Succeeded', this.now);
      this.setGauges(cd, { status: 1 });
      this.event(
        cd,
        'Normal',
        `Promotion completed! Canary analysis was skipped for ${this.targetId(
          cd,
        )}`,
      );
      return;
    }

    if (['Progressing', 'Waiting', 'WaitingPromotion'].includes(current)) {
      if (this.runRollbackHooks(cd, current)) {
        this.event(
          cd,
          'Warning',
          `Rolling back ${this.id(cd)} manual webhook invoked`,
        );
        this.rollback(cd, target);
        return;
      }
    }

    if (current === 'Promoting') {
      const step = cd.spec.analysis?.stepWeightPromotion ?? 0;
      if (step === 0) {
        this.event(cd, 'Normal', 'Routing all traffic to primary');
        this.setRoutes(cd, TOTAL_WEIGHT, 0);
        this.setGauges(cd, { primary: TOTAL_WEIGHT, canary: 0 });
        this.status.setPhase(cd, 'Finalising', this.now);
        return;
      }
      if (canaryWeight > 0) {
        primaryWeight = Math.min(TOTAL_WEIGHT, primaryWeight + step);
        canaryWeight = Math.max(0, canaryWeight - step);
        this.setRoutes(cd, primaryWeight, canaryWeight);
        this.setGauges(cd, { primary: primaryWeight, canary: canaryWeight });
        this.event(
          cd,
          'Normal',
          `Advance ${this.id(cd)} primary weight ${primaryWeight}`,
        );
        if (primaryWeight === TOTAL_WEIGHT)
          this.status.setPhase(cd, 'Finalising', this.now);
        else this.status.setWeight(cd, canaryWeight, this.now);
      }
      return;
    }

    if (current === 'Finalising') {
      this.scale(namespace, cd.spec.targetRef.name, 0);
      this.status.setPhase(cd, 'Succeeded', this.now);
      this.setGauges(cd, { status: 1 });
      this.runPostRolloutHooks(cd, 'Succeeded');
      this.event(
        cd,
        'Normal',
        `Promotion completed! Scaling down ${this.targetId(cd)}`,
      );
      return;
    }

    const threshold = cd.spec.analysis?.threshold ?? 0;
    if (
      (current === 'Progressing' || current === 'WaitingPromotion') &&
      (cd.status?.failedChecks ?? 0) >= threshold
    ) {
      this.rollback(cd, target);
      return;
    }

    const iterations = cd.status?.iterations ?? 0;
    if (canaryWeight === 0 && iterations === 0) {
      this.event(
        cd,
        'Normal',
        `Starting canary analysis for ${this.targetId(cd)}`,
      );
      if (!this.runPreRolloutHooks(cd)) {
        this.status.setFailedChecks(
          cd,
          (cd.status?.failedChecks ?? 0) + 1,
          this.now,
        );
        return;
      }
    } else if (!this.runAnalysis(cd)) {
      this.status.setFailedChecks(
        cd,
        (cd.status?.failedChecks ?? 0) + 1,
        this.now,
      );
      return;
    }

    const analysis = cd.spec.analysis ?? {};
    if ((analysis.match?.length ?? 0) > 0 && (analysis.iterations ?? 0) > 0) {
      this.runIterations(cd, target, true);
      return;
    }
    if ((analysis.iterations ?? 0) > 0) {
      this.runIterations(cd, target, false);
      return;
    }
    if (this.nextStepWeight(cd, canaryWeight) > 0) {
      if (!['Promoting', 'WaitingPromotion', 'Finalising'].includes(current)) {
        if (!this.runConfirmTrafficIncreaseHooks(cd)) return;
      }
      this.runCanary(cd, target, canaryWeight, primaryWeight, maxWeight);
    }
  }

  private reconcileRoutingServices(cd: Canary): void {
    for (const svc of generatedServices(cd)) {
      if (
        !this.store.getByKind(
          'v1',
          'Service',
          svc.metadata.namespace,
          svc.metadata.name,
        )
      ) {
        this.store.create(svc);
      }
    }
  }

  /**
   * HasTargetChanged (the pod template hash differs from lastAppliedSpec and
   * lastPromotedSpec) or HaveDependenciesChanged (a tracked config changed).
   */
  private targetChanged(cd: Canary, target: Deployment): boolean {
    const applied = cd.status?.lastAppliedSpec;
    if (!applied) return true;
    const hash = computeSpecHash(target.spec.template);
    if (cd.status?.lastPromotedSpec !== hash && applied !== hash) return true;
    const configs = trackedConfigs(
      this.store,
      cd.metadata.namespace ?? '',
      target.spec.template,
    );
    return (
      JSON.stringify(configs ?? {}) !==
      JSON.stringify(cd.status?.trackedConfigs ?? {})
    );
  }

  private runCanary(
    cd: Canary,
    target: Deployment,
    canaryWeight: number,
    primaryWeight: number,
    maxWeight: number,
  ): void {
    if (canaryWeight < maxWeight) {
      const step = this.nextStepWeight(cd, canaryWeight);
      const nextPrimary = Math.max(0, primaryWeight - step);
      const nextCanary = Math.min(TOTAL_WEIGHT, canaryWeight + step);
      this.setRoutes(cd, nextPrimary, nextCanary);
      this.status.setWeight(cd, nextCanary, this.now);
      this.setGauges(cd, { primary: nextPrimary, canary: nextCanary });
      this.event(
        cd,
        'Normal',
        `Advance ${this.id(cd)} canary weight ${nextCanary}`,
      );
      return;
    }
    if (!this.runConfirmPromotionHooks(cd)) return;
    const ns = cd.metadata.namespace;
    this.event(
      cd,
      'Normal',
      `Copying ${this.targetId(cd)} template spec to ${
        cd.spec.targetRef.name
      }-primary.${ns}`,
    );
    this.promote(cd, target);
    this.status.setPhase(cd, 'Promoting', this.now);
  }

  /** runAB (with analysis.match) and runBlueGreen: iterations instead of weights. */
  private runIterations(cd: Canary, target: Deployment, ab: boolean): void {
    const total = cd.spec.analysis?.iterations ?? 0;
    const done = cd.status?.iterations ?? 0;
    const id = this.id(cd);
    if (total > done) {
      if (ab) {
        this.setRoutes(cd, 0, TOTAL_WEIGHT);
        this.setGauges(cd, { primary: 0, canary: TOTAL_WEIGHT });
      }
      this.status.setIterations(cd, done + 1, this.now);
      this.event(
        cd,
        'Normal',
        `Advance ${id} canary iteration ${done + 1}/${total}`,
      );
      return;
    }
    if (!this.runConfirmPromotionHooks(cd)) return;
    if (!ab && total === done) {
      this.event(cd, 'Normal', 'Routing all traffic to canary');
      this.setRoutes(cd, 0, TOTAL_WEIGHT);
      this.setGauges(cd, { primary: 0, canary: TOTAL_WEIGHT });
      this.status.setIterations(cd, done + 1, this.now);
      return;
    }
    if ((ab && total === done) || (!ab && total < done)) {
      this.event(
        cd,
        'Normal',
        `Copying ${this.targetId(cd)} template spec to ${
          cd.spec.targetRef.name
        }-primary.${cd.metadata.namespace}`,
      );
      this.promote(cd, target);
      this.status.setPhase(cd, 'Promoting', this.now);
    }
  }

  private rollback(cd: Canary, target: Deployment): void {
    const failedChecks = cd.status?.failedChecks ?? 0;
    if (failedChecks >= (cd.spec.analysis?.threshold ?? 0)) {
      this.event(
        cd,
        'Warning',
        `Rolling back ${this.id(
          cd,
        )} failed checks threshold reached ${failedChecks}`,
      );
    }
    this.setRoutes(cd, TOTAL_WEIGHT, 0);
    this.event(cd, 'Warning', `Canary failed! Scaling down ${this.id(cd)}`);
    this.setGauges(cd, { primary: TOTAL_WEIGHT, canary: 0 });
    this.scale(cd.metadata.namespace ?? '', cd.spec.targetRef.name, 0);
    this.status.syncStatus(
      cd,
      target,
      { phase: 'Failed', canaryWeight: 0 },
      this.now,
    );
    this.setGauges(cd, { status: 2 });
    this.runPostRolloutHooks(cd, 'Failed');
  }

  /** Flagger's own Prometheus metrics (pkg/metrics/recorder.go). */
  renderMetrics(): string {
    const lines = [
      '# HELP flagger_info Flagger version and mesh provider information',
      '# TYPE flagger_info gauge',
      'flagger_info{mesh_provider="istio",version="1.44.0"} 1',
      '# HELP flagger_canary_total Total number of canary object',
      '# TYPE flagger_canary_total gauge',
    ];
    const all = [...this.gauges.values()].sort((a, b) =>
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    );
    const perNamespace = new Map<string, number>();
    for (const g of all)
      perNamespace.set(g.namespace, (perNamespace.get(g.namespace) ?? 0) + 1);
    for (const [ns, n] of perNamespace)
      lines.push(`flagger_canary_total{namespace="${ns}"} ${n}`);
    lines.push(
      '# HELP flagger_canary_status Last canary analysis result',
      '# TYPE flagger_canary_status gauge',
    );
    for (const g of all) {
      lines.push(
        `flagger_canary_status{name="${g.name}",namespace="${g.namespace}"} ${g.status}`,
      );
    }
    lines.push(
      '# HELP flagger_canary_weight The virtual service destination weight current value',
      '# TYPE flagger_canary_weight gauge',
    );
    for (const g of all) {
      lines.push(
        `flagger_canary_weight{namespace="${g.namespace}",workload="${g.name}-primary"} ${g.primary}`,
      );
      lines.push(
        `flagger_canary_weight{namespace="${g.namespace}",workload="${g.name}"} ${g.canary}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
