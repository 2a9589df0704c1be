// Analysis evidence: what each metric check of a canary measured, for the canary and for the
// primary, from the cluster's Prometheus (issue 14). The OpenAPI spec in the backend package
// (components AnalysisPoint, AnalysisFault, AnalysisCheckEvidence, CanaryAnalysisEvidence,
// RolloutFailure, RolloutAnalysisResponse) is the authority for these shapes.

/**
 * Why a check has no value: shown on that check only.
 * - `unreachable`: Prometheus (or the service proxy in front of it) did not answer.
 * - `forbidden`: the API server refused the service proxy (401/403), or Prometheus refused the credentials.
 * - `query`: Prometheus rejected the query (bad PromQL, a 4xx/5xx with its error).
 * - `no-values`: the query returned no series, or NaN (Flagger: "no values found").
 * - `unsupported`: a provider type other than prometheus, or an address that is neither
 *   cluster-local nor configured.
 * - `not-rendered`: the check's query could not be rendered (see the analysis module's problems).
 *
 * @public
 */
export interface AnalysisFault {
  kind:
    | 'unreachable'
    | 'forbidden'
    | 'query'
    | 'no-values'
    | 'unsupported'
    | 'not-rendered';
  /** Names the check, the address or cluster, and what went wrong. */
  message: string;
}

/**
 * One evaluation of a check: the value Flagger compares (request-success-rate in percent,
 * request-duration in whole milliseconds) for the canary, and the same query for the primary.
 *
 * @public
 */
export interface AnalysisPoint {
  /** When the queries were evaluated (Prometheus evaluation time). */
  at: string;
  canary?: number;
  primary?: number;
  /** The canary value judged against the check's range, as Flagger judges it. */
  verdict?: 'pass' | 'fail';
  /** Traffic routed to the canary at that moment (percent), i.e. the step. */
  canaryWeight?: number;
  /** Set when the canary's value could not be had; the primary's fault is `primaryFault`. */
  fault?: AnalysisFault;
  primaryFault?: AnalysisFault;
}

/**
 * The evidence of one metric check over one rollout.
 *
 * @public
 */
export interface AnalysisCheckEvidence {
  /** The check's `name` in `spec.analysis.metrics`. */
  metric: string;
  unit?: 'percent' | 'milliseconds';
  /** The accepted values, as Flagger compares them. */
  range: { min?: number; max?: number };
  /** The rendered queries, when they could be rendered. */
  query?: { canary: string; primary: string };
  /** Where the queries go: `service proxy <address>` or `configured <url>` (no credentials). */
  source?: string;
  /** The newest point, if any. */
  latest?: AnalysisPoint;
  /** Points over the rollout, oldest first (bounded; the oldest are dropped first). */
  points: AnalysisPoint[];
  /** The current fault of this check, if its last evaluation had one. */
  fault?: AnalysisFault;
}

/**
 * A link out to a dashboard for a canary, from a URL template configured per cluster.
 *
 * @public
 */
export interface CanaryLink {
  kind: 'grafana' | 'kiali';
  title: string;
  url: string;
}

/**
 * What the backend measured for a canary's analysis.
 *
 * @public
 */
export interface CanaryAnalysisEvidence {
  /** The rollout (history record id) the points belong to, when recorded. */
  rolloutId?: string;
  /** The revision (status.lastAppliedSpec) the points belong to. */
  revision?: string;
  /** Whether the evaluator is querying now (the canary is under analysis). */
  evaluating: boolean;
  /** The analysis interval the evaluator queries at. */
  intervalMs: number;
  lastEvaluatedAt?: string;
  checks: AnalysisCheckEvidence[];
}

/**
 * The check that failed a rollout, as measured: "rolled back at 20 %: request-success-rate
 * 97.1 % < 99.5 %".
 *
 * @public
 */
export interface RolloutFailure {
  metric: string;
  unit?: 'percent' | 'milliseconds';
  /** The canary's value at the last failing evaluation; absent when the check had a fault. */
  value?: number;
  primary?: number;
  range: { min?: number; max?: number };
  /** Traffic to the canary when it failed (percent). */
  canaryWeight?: number;
  at: string;
  fault?: AnalysisFault;
}

/**
 * Response of `GET /v1/entities/{kind}/{namespace}/{name}/history/{rolloutId}/analysis`.
 *
 * @public
 */
export interface RolloutAnalysisResponse {
  rolloutId: string;
  checks: AnalysisCheckEvidence[];
}
