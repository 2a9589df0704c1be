import { ObjectStore } from '../../api/ObjectStore';
import { goDuration } from '../../util/time';
import { webhooksOfType, WebhookCaller } from '../hooks/WebhookCaller';
import { Canary, CanaryMetric, FLAGGER_API_VERSION } from '../model';
import { canaryId, targetId } from '../names';
import { CanaryEvents } from '../recorder/CanaryEvents';
import { TrafficModel } from '../TrafficModel';
import { violation } from './thresholds';

export interface MetricAnalysisOptions {
  store: ObjectStore;
  traffic: TrafficModel;
  webhooks: WebhookCaller;
  events: CanaryEvents;
  /** Flagger's recorder.SetAnalysis: the value each metric check measured. */
  recordAnalysis?: (cd: Canary, metric: string, value: number) => void;
}

/**
 * One analysis run (pkg/controller/scheduler_metrics.go): the rollout
 * webhooks, then the built-in metrics, then the MetricTemplate metrics, all
 * answered from the simulated Istio telemetry.
 */
export class MetricAnalysis {
  constructor(private readonly options: MetricAnalysisOptions) {}

  /** True when every rollout hook and metric check passes. */
  run(cd: Canary): boolean {
    if (!this.runRolloutHooks(cd)) return false;
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

  private runRolloutHooks(cd: Canary): boolean {
    for (const hook of webhooksOfType(cd, 'rollout')) {
      const err = this.options.webhooks.call(cd, 'Progressing', hook);
      if (err !== undefined) {
        this.options.events.warn(
          cd,
          `Halt ${canaryId(cd)} advancement external check ${
            hook.name
          } failed ${err}`,
        );
        return false;
      }
    }
    return true;
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
      this.options.events.warn(
        cd,
        `Halt advancement no values found for istio metric ${
          metric.name
        } probably ${targetId(cd)} is not receiving traffic${suffix}`,
      );
      return false;
    }
    if (successRate) {
      const v = observed.successRate;
      this.options.recordAnalysis?.(cd, metric.name, v);
      const bad = violation(v, metric.thresholdRange);
      if (bad) {
        this.options.events.warn(
          cd,
          `Halt ${canaryId(cd)} advancement success rate ${v.toFixed(2)}% ${
            bad.op
          } ${bad.bound}%`,
        );
      }
      return !bad;
    }
    // Istio's observer returns whole milliseconds, printed as Go durations.
    const ms = Math.floor(observed.p99Ms);
    this.options.recordAnalysis?.(cd, metric.name, ms / 1000);
    const bad = violation(ms, metric.thresholdRange);
    if (bad) {
      this.options.events.warn(
        cd,
        `Halt ${canaryId(cd)} advancement request duration ${goDuration(ms)} ${
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
    const template = this.options.store.getByKind(
      FLAGGER_API_VERSION,
      'MetricTemplate',
      ns,
      ref.name,
    );
    if (!template) {
      this.options.events.warn(
        cd,
        `Metric template ${ref.name}.${ns} error: metrictemplate.flagger.app "${ref.name}" not found`,
      );
      return false;
    }
    const observed = this.observe(cd);
    if (!observed) {
      this.options.events.warn(
        cd,
        `Halt advancement no values found for custom metric: ${metric.name}: no values found`,
      );
      return false;
    }
    let value = observed.successRate;
    if (/latency|duration/.test(ref.name)) value = observed.p99Ms;
    else if (/error/.test(ref.name)) value = 100 - observed.successRate;
    this.options.recordAnalysis?.(cd, metric.name, value);
    const bad = violation(value, metric.thresholdRange);
    if (bad) {
      this.options.events.warn(
        cd,
        `Halt ${canaryId(cd)} advancement ${metric.name} ${value.toFixed(2)} ${
          bad.op
        } ${bad.bound}`,
      );
    }
    return !bad;
  }
}
