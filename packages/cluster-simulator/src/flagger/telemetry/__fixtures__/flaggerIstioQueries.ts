/**
 * Flagger's built-in Istio queries, copied verbatim (whitespace included) from
 * fluxcd/flagger pkg/metrics/observers/istio.go `istioQueries` at v1.44.0
 * (commit 15bd6ad555e6c935da55f0ab95977be74c149bd6). Flagger renders them with
 * pkg/metrics/observers/render.go `RenderQuery` (Go text/template; the
 * functions `namespace`, `target`, `interval` of the MetricTemplateModel).
 */
export const FLAGGER_ISTIO_QUERIES = {
  'request-success-rate': `
	sum(
		rate(
			istio_requests_total{
				reporter="destination",
				destination_workload_namespace="{{ namespace }}",
				destination_workload=~"{{ target }}",
				response_code!~"5.*"
			}[{{ interval }}]
		)
	) 
	/ 
	sum(
		rate(
			istio_requests_total{
				reporter="destination",
				destination_workload_namespace="{{ namespace }}",
				destination_workload=~"{{ target }}"
			}[{{ interval }}]
		)
	) 
	* 100`,
  'request-duration': `
	histogram_quantile(
		0.99,
		sum(
			rate(
				istio_request_duration_milliseconds_bucket{
					reporter="destination",
					destination_workload_namespace="{{ namespace }}",
					destination_workload=~"{{ target }}"
				}[{{ interval }}]
			)
		) by (le)
	)`,
} as const;

export type FlaggerIstioCheck = keyof typeof FLAGGER_ISTIO_QUERIES;

/** A query with Flagger's template functions filled in, as RenderQuery leaves it. */
export function renderFlaggerIstioQuery(
  check: FlaggerIstioCheck,
  model: { namespace: string; target: string; interval: string },
): string {
  return FLAGGER_ISTIO_QUERIES[check].replace(
    /\{\{ (namespace|target|interval) \}\}/g,
    (_, name: 'namespace' | 'target' | 'interval') => model[name],
  );
}
