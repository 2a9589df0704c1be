import { Canary, CanaryPhase } from '../model';
import { canaryKey } from '../names';
import { TOTAL_WEIGHT } from '../scheduler/weights';

interface CanaryGauges {
  name: string;
  namespace: string;
  status: number;
  primary: number;
  canary: number;
}

/** flagger_canary_status: 0 while progressing, 2 when failed, 1 otherwise. */
function statusValue(phase: CanaryPhase): number {
  if (phase === 'Progressing') return 0;
  return phase === 'Failed' ? 2 : 1;
}

/**
 * Flagger's own Prometheus metrics (pkg/metrics/recorder.go): the gauges the
 * scheduler sets per canary, rendered in the exposition format.
 */
export class FlaggerMetrics {
  private readonly gauges = new Map<string, CanaryGauges>();
  /** flagger_canary_metric_analysis: canary key -> metric name -> last value. */
  private readonly analysis = new Map<string, Map<string, number>>();

  setStatus(cd: Canary, phase: CanaryPhase): void {
    this.set(cd, { status: statusValue(phase) });
  }

  setWeight(cd: Canary, primary: number, canary: number): void {
    this.set(cd, { primary, canary });
  }

  /** The value a metric check last measured (recorder.SetAnalysis; durations in seconds). */
  setAnalysis(cd: Canary, metric: string, value: number): void {
    const key = canaryKey(cd);
    let byMetric = this.analysis.get(key);
    if (!byMetric) {
      byMetric = new Map();
      this.analysis.set(key, byMetric);
    }
    byMetric.set(metric, value);
  }

  delete(key: string): void {
    this.gauges.delete(key);
    this.analysis.delete(key);
  }

  private set(cd: Canary, values: Partial<CanaryGauges>): void {
    const current = this.gauges.get(canaryKey(cd)) ?? {
      name: cd.spec.targetRef.name,
      namespace: cd.metadata.namespace ?? '',
      status: 1,
      primary: TOTAL_WEIGHT,
      canary: 0,
    };
    this.gauges.set(canaryKey(cd), { ...current, ...values });
  }

  render(): string {
    const all = [...this.gauges.values()].sort((a, b) =>
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    );
    const perNamespace = new Map<string, number>();
    for (const g of all)
      perNamespace.set(g.namespace, (perNamespace.get(g.namespace) ?? 0) + 1);
    const lines = [
      ...gauge(
        'flagger_info',
        'Flagger version and mesh provider information',
        ['{mesh_provider="istio",version="1.44.0"} 1'],
      ),
      ...gauge(
        'flagger_canary_total',
        'Total number of canary object',
        [...perNamespace].map(([ns, n]) => `{namespace="${ns}"} ${n}`),
      ),
      ...gauge(
        'flagger_canary_status',
        'Last canary analysis result',
        all.map(
          g => `{name="${g.name}",namespace="${g.namespace}"} ${g.status}`,
        ),
      ),
      ...gauge(
        'flagger_canary_weight',
        'The virtual service destination weight current value',
        all.flatMap(g => [
          `{namespace="${g.namespace}",workload="${g.name}-primary"} ${g.primary}`,
          `{namespace="${g.namespace}",workload="${g.name}"} ${g.canary}`,
        ]),
      ),
      ...gauge(
        'flagger_canary_metric_analysis',
        'Last canary analysis result per metric',
        this.analysisSamples(),
      ),
    ];
    return `${lines.join('\n')}\n`;
  }

  private analysisSamples(): string[] {
    const samples: string[] = [];
    for (const [key, byMetric] of this.analysis) {
      const g = this.gauges.get(key);
      if (!g) continue;
      for (const [metric, value] of byMetric) {
        samples.push(
          `{metric="${metric}",name="${g.name}",namespace="${g.namespace}"} ${value}`,
        );
      }
    }
    return samples.sort();
  }
}

/** One gauge family in the exposition format: HELP, TYPE, then its samples. */
function gauge(name: string, help: string, samples: string[]): string[] {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...samples.map(sample => `${name}${sample}`),
  ];
}
