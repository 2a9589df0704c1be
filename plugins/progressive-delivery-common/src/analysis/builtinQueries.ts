// Flagger's built-in checks `request-success-rate` and `request-duration`: which observer
// answers them for a canary, and that observer's query templates. Facts from fluxcd/flagger
// v1.44.0 (15bd6ad555e6c935da55f0ab95977be74c149bd6):
// - pkg/controller/scheduler_metrics.go runBuiltinMetricChecks: the metrics provider is the
//   canary's `spec.provider`, else Flagger's -mesh-provider flag (default istio, main.go);
//   with a Linkerd mesh every canary with a provider uses linkerd; a `crossover` mesh uses
//   crossover; a Service target (not a Knative Service) appends `:service`.
// - pkg/metrics/observers/factory.go Observer: provider -> observer, istio by default (so
//   `smi:*`, `crossover` and `istio:service` get Istio's queries, and gatewayapi:* and
//   kubernetes get the HTTP observer's, not Istio's).
// - The query texts: pkg/metrics/observers/{istio,http,linkerd,nginx}.go. Their whitespace
//   differs from the Go source (tabs there), which is immaterial: Flagger's Prometheus client
//   collapses every whitespace run to one space before it sends a query (prometheus.go).

import { KubeObject } from '../kubernetes';
import { asString, readPath } from '../derivations/read';

/**
 * The Flagger observer (pkg/metrics/observers) that answers the built-in checks.
 *
 * @public
 */
export type FlaggerObserver =
  | 'istio'
  | 'http'
  | 'linkerd'
  | 'nginx'
  | 'appmesh'
  | 'contour'
  | 'gloo'
  | 'skipper'
  | 'traefik'
  | 'osm'
  | 'kuma'
  | 'apisix'
  | 'knative';

/**
 * Flagger's flag defaults (cmd/flagger/main.go).
 *
 * @public
 */
export const FLAGGER_DEFAULT_MESH_PROVIDER = 'istio';
/** @public */
export const FLAGGER_DEFAULT_METRICS_SERVER = 'http://prometheus:9090';

/** The built-in check names. */
export type BuiltinMetricName = 'request-success-rate' | 'request-duration';

export function isBuiltinMetric(name: string): name is BuiltinMetricName {
  return name === 'request-success-rate' || name === 'request-duration';
}

/** An observer's two query templates and how its duration result becomes milliseconds. */
export interface ObserverQueries {
  successRate: string;
  duration: string;
  /** Flagger multiplies the duration result by this before truncating to whole ms. */
  durationScale: number;
  /** The file the queries are in (fluxcd/flagger v1.44.0). */
  source: string;
}

const ISTIO: ObserverQueries = {
  source: 'pkg/metrics/observers/istio.go',
  durationScale: 1,
  successRate: `
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
  duration: `
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
};

// The HTTP observer (gatewayapi:*, kubernetes): the app's own http_request_duration_seconds
// histogram, pods selected by name; the duration is in seconds (http.go: value*1000 ms).
const HTTP_POD =
  'kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';
const HTTP: ObserverQueries = {
  source: 'pkg/metrics/observers/http.go',
  durationScale: 1000,
  successRate: `
  sum(
    rate(
      http_request_duration_seconds_count{
        kubernetes_namespace="{{ namespace }}",
        ${HTTP_POD},
        status!~"5.*"
      }[{{ interval }}]
    )
  )
  /
  sum(
    rate(
      http_request_duration_seconds_count{
        kubernetes_namespace="{{ namespace }}",
        ${HTTP_POD}
      }[{{ interval }}]
    )
  )
  * 100`,
  duration: `
  histogram_quantile(
    0.99,
    sum(
      rate(
        http_request_duration_seconds_bucket{
          kubernetes_namespace="{{ namespace }}",
          ${HTTP_POD}
        }[{{ interval }}]
      )
    ) by (le)
  )`,
};

const LINKERD: ObserverQueries = {
  source: 'pkg/metrics/observers/linkerd.go',
  durationScale: 1,
  successRate: `
  sum(
    rate(
      response_total{
        namespace="{{ namespace }}",
        deployment=~"{{ target }}",
        classification!="failure",
        direction="inbound"
      }[{{ interval }}]
    )
  )
  /
  sum(
    rate(
      response_total{
        namespace="{{ namespace }}",
        deployment=~"{{ target }}",
        direction="inbound"
      }[{{ interval }}]
    )
  )
  * 100`,
  duration: `
  histogram_quantile(
    0.99,
    sum(
      rate(
        response_latency_ms_bucket{
          namespace="{{ namespace }}",
          deployment=~"{{ target }}",
          direction="inbound"
        }[{{ interval }}]
      )
    ) by (le)
  )`,
};

// NGINX: requests through the ingress that reached the canary backend (canary!=""); the
// duration is a mean, not a P99, already in ms (nginx.go: "* 1000").
const NGINX_SERIES = `namespace="{{ namespace }}",
        ingress="{{ ingress }}",
        canary!=""`;
const NGINX: ObserverQueries = {
  source: 'pkg/metrics/observers/nginx.go',
  durationScale: 1,
  successRate: `
  sum(
    rate(
      nginx_ingress_controller_requests{
        ${NGINX_SERIES},
        status!~"5.*"
      }[{{ interval }}]
    )
  )
  /
  sum(
    rate(
      nginx_ingress_controller_requests{
        ${NGINX_SERIES}
      }[{{ interval }}]
    )
  )
  * 100`,
  duration: `
  sum(
    rate(
      nginx_ingress_controller_response_duration_seconds_sum{
        ${NGINX_SERIES}
      }[{{ interval }}]
    )
  )
  /
  sum(
    rate(
      nginx_ingress_controller_response_duration_seconds_count{
        ${NGINX_SERIES}
      }[{{ interval }}]
    )
  )
  * 1000`,
};

const OBSERVER_QUERIES: Partial<Record<FlaggerObserver, ObserverQueries>> = {
  istio: ISTIO,
  http: HTTP,
  linkerd: LINKERD,
  nginx: NGINX,
};

/** The queries of an observer this module renders, or undefined. */
export function observerQueries(
  observer: FlaggerObserver,
): ObserverQueries | undefined {
  return OBSERVER_QUERIES[observer];
}

/**
 * The metrics provider Flagger's runBuiltinMetricChecks computes for a canary: its
 * `spec.provider`, else the mesh provider, with Linkerd, Crossover and Service-target rules.
 *
 * @public
 */
export function flaggerMetricsProvider(
  canary: KubeObject,
  meshProvider: string = FLAGGER_DEFAULT_MESH_PROVIDER,
): string {
  let provider = meshProvider.includes('crossover')
    ? 'crossover'
    : meshProvider;
  const canaryProvider = asString(readPath(canary.spec, 'provider'));
  if (canaryProvider) {
    provider = meshProvider.includes('linkerd') ? 'linkerd' : canaryProvider;
  }
  const kind = asString(readPath(canary.spec, 'targetRef', 'kind'));
  const apiVersion = asString(readPath(canary.spec, 'targetRef', 'apiVersion'));
  if (kind === 'Service' && apiVersion !== 'serving.knative.dev/v1') {
    provider += ':service';
  }
  return provider;
}

/**
 * The observer Flagger's observer factory picks for a metrics provider (factory.go).
 *
 * @public
 */
export function flaggerObserver(metricsProvider: string): FlaggerObserver {
  const exact: Record<string, FlaggerObserver> = {
    linkerd: 'linkerd',
    istio: 'istio',
    contour: 'contour',
    nginx: 'nginx',
    kubernetes: 'http',
    skipper: 'skipper',
    traefik: 'traefik',
    osm: 'osm',
    kuma: 'kuma',
    apisix: 'apisix',
    knative: 'knative',
  };
  // The factory tests the appmesh and gloo prefixes before the exact names, gatewayapi with
  // kubernetes; no provider matches more than one case, so the order does not matter here.
  if (metricsProvider.startsWith('appmesh')) return 'appmesh';
  if (metricsProvider.startsWith('gloo')) return 'gloo';
  if (metricsProvider.startsWith('gatewayapi')) return 'http';
  return Object.prototype.hasOwnProperty.call(exact, metricsProvider)
    ? exact[metricsProvider]
    : 'istio';
}
