// Analysis evidence as the backend sends it (shapes per the OpenAPI spec's AnalysisCheckEvidence,
// CanaryAnalysisEvidence, RolloutFailure and RolloutAnalysisResponse): what request-success-rate
// (percent of non-5xx requests) and request-duration (p99 in whole milliseconds) measured for
// the canary and the primary at each analysis run. The values are those the demo produces:
// podinfo's canary as healthy as its primary (99.9–100 % against a minimum of 99 %); payments'
// canary failing (84.7 % against the primary's 99.6 %, p99 2181 ms against 424 ms and a
// maximum of 500 ms). The rendered queries follow Flagger's built-in Istio queries
// and the `latency` MetricTemplate of the fixtures' Canaries (fluxcd/flagger v1.44.0,
// pkg/metrics/observers/istio.go; the mirror's commit 15bd6ad555e6c935da55f0ab95977be74c149bd6).
import {
  AnalysisCheckEvidence,
  AnalysisPoint,
  CanaryAnalysisEvidence,
  EntityDeliveryState,
  RolloutAnalysisResponse,
  RolloutFailure,
  RolloutRecord,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { paymentsState, podinfoState } from './deliveryStates';

const SOURCE = 'service proxy http://prometheus.istio-system:9090';

/** The check's query, rendered for one workload (`podinfo` or `podinfo-primary`). */
function renderedQuery(metric: string, namespace: string, workload: string) {
  const selector = `reporter="destination",destination_workload_namespace="${namespace}",destination_workload=~"${workload}"`;
  if (metric === 'request-success-rate') {
    return `sum(rate(istio_requests_total{${selector},response_code!~"5.*"}[1m])) / sum(rate(istio_requests_total{${selector}}[1m])) * 100`;
  }
  return `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{${selector}}[30s])) by (le))`;
}

type Row = [at: string, weight: number, canary: number, primary: number];

function points(rows: Row[], range: { min?: number; max?: number }) {
  return rows.map(
    ([at, canaryWeight, canary, primary]): AnalysisPoint => ({
      at,
      canaryWeight,
      canary,
      primary,
      verdict:
        (range.min !== undefined && canary < range.min) ||
        (range.max !== undefined && canary > range.max)
          ? 'fail'
          : 'pass',
    }),
  );
}

function check(
  metric: string,
  unit: 'percent' | 'milliseconds',
  range: { min?: number; max?: number },
  rows: Row[],
  namespace: string,
  name: string,
): AnalysisCheckEvidence {
  const measured = points(rows, range);
  return {
    metric,
    unit,
    range,
    query: {
      canary: renderedQuery(metric, namespace, name),
      primary: renderedQuery(metric, namespace, `${name}-primary`),
    },
    source: SOURCE,
    latest: measured[measured.length - 1],
    points: measured,
  };
}

/** podinfo in prod-eu-1 at 10 %: both checks pass, canary and primary alike. */
export function podinfoEvidence(): CanaryAnalysisEvidence {
  return {
    rolloutId: '42',
    revision: '7c9d8f6b5',
    evaluating: true,
    intervalMs: 60_000,
    lastEvaluatedAt: '2026-11-22T09:59:00Z',
    checks: [
      check(
        'request-success-rate',
        'percent',
        { min: 99 },
        [
          ['2026-11-22T09:57:00Z', 5, 99.94, 99.96],
          ['2026-11-22T09:58:00Z', 10, 100, 99.95],
          ['2026-11-22T09:59:00Z', 10, 99.91, 99.97],
        ],
        'tenant-a',
        'podinfo',
      ),
      check(
        'latency',
        'milliseconds',
        { max: 500 },
        [
          ['2026-11-22T09:57:00Z', 5, 212, 198],
          ['2026-11-22T09:58:00Z', 10, 231, 205],
          ['2026-11-22T09:59:00Z', 10, 224, 201],
        ],
        'tenant-a',
        'podinfo',
      ),
    ],
  };
}

/** podinfo's state with its evidence and links out (`podinfoState` otherwise). */
export function podinfoStateWithEvidence(
  evidence: CanaryAnalysisEvidence = podinfoEvidence(),
): EntityDeliveryState {
  const state = podinfoState();
  const canary = state.clusters[0].canaries[0];
  canary.analysis = evidence;
  canary.links = [
    {
      kind: 'kiali',
      title: 'Kiali graph',
      url: 'https://kiali.example.com/kiali/console/namespaces/tenant-a/applications/podinfo',
    },
    {
      kind: 'grafana',
      title: 'Grafana dashboard',
      url: 'https://grafana.example.com/d/flagger-istio?var-namespace=tenant-a&var-primary=podinfo-primary&var-canary=podinfo',
    },
  ];
  return state;
}

const PAYMENTS_SUCCESS: Row[] = [
  ['2026-11-22T09:57:30Z', 10, 99.7, 99.6],
  ['2026-11-22T09:58:00Z', 10, 86.3, 99.6],
  ['2026-11-22T09:58:30Z', 10, 84.7, 99.6],
];

const PAYMENTS_DURATION: Row[] = [
  ['2026-11-22T09:57:30Z', 10, 431, 418],
  ['2026-11-22T09:58:00Z', 10, 1764, 421],
  ['2026-11-22T09:58:30Z', 10, 2181, 424],
];

/** payments in dev-eu-1: the success rate fell under 99 % twice, and it was rolled back. */
export function paymentsEvidence(): CanaryAnalysisEvidence {
  return {
    rolloutId: '57',
    revision: '8e7f6a5b4',
    evaluating: false,
    intervalMs: 30_000,
    lastEvaluatedAt: '2026-11-22T09:58:30Z',
    checks: [
      check(
        'request-success-rate',
        'percent',
        { min: 99 },
        PAYMENTS_SUCCESS,
        'tenant-b',
        'payments',
      ),
      check(
        'latency',
        'milliseconds',
        { max: 500 },
        PAYMENTS_DURATION,
        'tenant-b',
        'payments',
      ),
    ],
  };
}

/** payments' failed state with its evidence. */
export function paymentsStateWithEvidence(): EntityDeliveryState {
  const state = paymentsState();
  state.clusters[0].canaries[0].analysis = paymentsEvidence();
  return state;
}

/** The check that failed payments' rollout, as the recorder keeps it. */
export function paymentsFailure(): RolloutFailure {
  return {
    metric: 'request-success-rate',
    unit: 'percent',
    value: 84.7,
    primary: 99.6,
    range: { min: 99 },
    canaryWeight: 10,
    at: '2026-11-22T09:58:30Z',
  };
}

/** payments' rolled-back rollout with the check that failed it. */
export function paymentsRollout(): RolloutRecord {
  return {
    id: '57',
    cluster: 'dev-eu-1',
    namespace: 'tenant-b',
    canary: 'payments',
    entityRef: 'component:default/payments',
    revision: '8e7f6a5b4',
    previousRevision: '3c2d1e0f9',
    startedAt: '2026-11-22T09:57:00.000Z',
    endedAt: '2026-11-22T09:59:00.000Z',
    durationMs: 120_000,
    outcome: 'failed',
    maxWeight: 10,
    failedChecks: 2,
    failureReason:
      'Rolling back payments.tenant-b failed checks threshold reached 2 (last failed check: Halt payments.tenant-b advancement success rate 84.70% < 99%)',
    failure: paymentsFailure(),
    events: [],
  };
}

/** `GET .../history/57/analysis` of payments. */
export function paymentsRolloutAnalysis(): RolloutAnalysisResponse {
  return { rolloutId: '57', checks: paymentsEvidence().checks };
}
