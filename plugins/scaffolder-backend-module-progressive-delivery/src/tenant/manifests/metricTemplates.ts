import { JsonObject } from '@backstage/types';
import { TenantContext } from './TenantContext';

/** Names of the tenant's MetricTemplates, which its canaries' metric checks refer to. */
export const METRIC_TEMPLATE_NAMES = {
  successRate: 'istio-success-rate',
  latencyP99: 'istio-latency-p99',
  errorRate: 'istio-error-rate',
} as const;

/**
 * PromQL over Istio's standard metrics, in Flagger's MetricTemplate variables; the same series
 * Flagger's built-in `request-success-rate` and `request-duration` checks read
 * (fluxcd/flagger pkg/metrics/observers/istio.go).
 */
const istioSelector = `reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}"`;
const istioQueries: Record<keyof typeof METRIC_TEMPLATE_NAMES, string> = {
  successRate: `sum(rate(istio_requests_total{${istioSelector}, response_code!~"5.*"}[{{ interval }}]))
/
sum(rate(istio_requests_total{${istioSelector}}[{{ interval }}]))
* 100
`,
  latencyP99: `histogram_quantile(0.99,
  sum(rate(istio_request_duration_milliseconds_bucket{${istioSelector}}[{{ interval }}])) by (le)
)
`,
  errorRate: `sum(rate(istio_requests_total{${istioSelector}, response_code=~"5.*"}[{{ interval }}]))
/
sum(rate(istio_requests_total{${istioSelector}}[{{ interval }}]))
* 100
`,
};

/** Flagger MetricTemplates for the Istio success rate, p99 latency and error rate. */
export function renderMetricTemplates(t: TenantContext): JsonObject[] {
  const metrics = Object.keys(METRIC_TEMPLATE_NAMES) as Array<
    keyof typeof METRIC_TEMPLATE_NAMES
  >;
  return metrics.map(metric => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: t.metadata(METRIC_TEMPLATE_NAMES[metric]),
    spec: {
      provider: { type: 'prometheus', address: t.mesh.prometheusUrl },
      query: istioQueries[metric],
    },
  }));
}
