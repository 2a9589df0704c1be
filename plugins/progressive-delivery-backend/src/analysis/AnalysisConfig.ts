/** A Prometheus-compatible API configured for a cluster (Thanos, Mimir, a managed Prometheus). */
export interface ConfiguredPrometheus {
  /** Base URL; Prometheus' `/api/v1/query` is appended to its path, as Flagger does. */
  url: string;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** Further request headers (e.g. `X-Scope-OrgID` for Mimir). */
  headers: Record<string, string>;
}

/** The dashboards a canary links to, as URL templates (see `links.ts`). */
export interface LinkTemplates {
  grafana?: string;
  kiali?: string;
}

/** How the evaluator reaches one cluster's Prometheus, and what Flagger runs with there. */
export interface ClusterAnalysisConfig {
  /** Flagger's `-metrics-server` in that cluster (default Flagger's `http://prometheus:9090`). */
  metricsServer?: string;
  /** Flagger's `-mesh-provider` in that cluster (default Flagger's `istio`). */
  meshProvider?: string;
  /** When set, every prometheus-type query of the cluster goes here instead. */
  prometheus?: ConfiguredPrometheus;
  links: LinkTemplates;
}

/** `progressiveDelivery.analysis`. */
export interface AnalysisConfig {
  /** Whether the evaluator queries Prometheus at all (links are shown either way). */
  enabled: boolean;
  /** One timeout for every call to a Prometheus (through the service proxy or not). */
  timeoutMs: number;
  /** Where Flagger runs: a bare host (`http://prometheus:9090`) resolves in this namespace. */
  flaggerNamespace: string;
  /** Points kept in memory per check (the oldest go first). */
  maxPoints: number;
  /** Per cluster name; clusters without an entry use Flagger's defaults through the proxy. */
  clusters: Record<string, ClusterAnalysisConfig>;
}

export const DEFAULT_ANALYSIS_CONFIG: AnalysisConfig = {
  enabled: true,
  timeoutMs: 10_000,
  flaggerNamespace: 'istio-system',
  maxPoints: 240,
  clusters: {},
};
