import {
  AnalysisFault,
  AnalysisPoint,
  flaggerValue,
  isRenderedAnalysisQuery,
  judge,
  KubeObject,
  renderAnalysisQueries,
  RenderedAnalysisQuery,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { AnalysisConfig } from './AnalysisConfig';
import { PrometheusQueries, QueryOutcome } from './PrometheusClient';
import { PrometheusRoute, routePrometheus } from './prometheusRoute';
import { CheckDescription } from './RolloutEvidence';

/** One check of a canary, ready to be measured, or with the fault that keeps it from it. */
export interface PreparedCheck {
  description: CheckDescription;
  query?: RenderedAnalysisQuery;
  route?: PrometheusRoute;
  /** `not-rendered` or `unsupported`: no query is sent for this check. */
  fault?: AnalysisFault;
}

/**
 * Renders a canary's checks as Flagger runs them (the common package's renderAnalysisQueries,
 * with the cluster's Flagger settings) and routes each to a Prometheus.
 */
export function prepareChecks(
  cluster: string,
  canary: KubeObject,
  templates: KubeObject[],
  config: AnalysisConfig,
): PreparedCheck[] {
  const settings = config.clusters[cluster];
  return renderAnalysisQueries(canary, {
    templates,
    meshProvider: settings?.meshProvider,
    metricsServer: settings?.metricsServer,
  }).map(query => {
    const description: CheckDescription = {
      metric: query.metric,
      range: { ...query.range },
    };
    if (query.unit) {
      description.unit = query.unit;
    }
    if (!isRenderedAnalysisQuery(query)) {
      return {
        description,
        fault: {
          kind: 'not-rendered',
          message: `${query.metric}: ${query.problem}`,
        },
      };
    }
    description.query = { canary: query.canary, primary: query.primary };
    const route = routePrometheus(query.provider, cluster, {
      flaggerNamespace: config.flaggerNamespace,
      cluster: settings,
    });
    if ('refused' in route) {
      return {
        description,
        query,
        fault: {
          kind: 'unsupported',
          message: `${query.metric}: ${route.refused}`,
        },
      };
    }
    description.source = route.source;
    return { description, query, route };
  });
}

const named = (metric: string, variant: string, fault: AnalysisFault) => ({
  kind: fault.kind,
  message: `${metric} (${variant}): ${fault.message}`,
});

/**
 * A point from the canary's and the primary's readings: the value Flagger compares (scaled and
 * truncated as Flagger does), judged as Flagger judges it. No values counts as a failed check,
 * as Flagger counts it ("Halt advancement no values found"); other faults have no verdict (the
 * plugin could not ask, which says nothing of what Flagger saw). ±Inf has a verdict but no value
 * (JSON has no infinity).
 */
export function pointOf(
  check: PreparedCheck & { query: RenderedAnalysisQuery },
  atMs: number,
  canary: QueryOutcome,
  primary: QueryOutcome,
  canaryWeight: number | undefined,
): AnalysisPoint {
  const { metric, range } = check.description;
  const point: AnalysisPoint = { at: new Date(atMs).toISOString() };
  if ('value' in canary) {
    const value = flaggerValue(check.query, canary.value);
    if (Number.isFinite(value)) {
      point.canary = value;
    }
    point.verdict = judge(value, range);
  } else {
    point.fault = named(metric, 'canary', canary.fault);
    if (canary.fault.kind === 'no-values') {
      point.verdict = 'fail';
    }
  }
  if ('value' in primary) {
    const value = flaggerValue(check.query, primary.value);
    if (Number.isFinite(value)) {
      point.primary = value;
    }
  } else {
    point.primaryFault = named(metric, 'primary', primary.fault);
  }
  if (canaryWeight !== undefined) {
    point.canaryWeight = canaryWeight;
  }
  return point;
}

const measurable = (
  check: PreparedCheck,
): check is PreparedCheck & {
  query: RenderedAnalysisQuery;
  route: PrometheusRoute;
} => !check.fault && !!check.query && !!check.route;

/** Runs a check's canary and primary queries at `atMs`: two instant queries. */
export async function measureAt(
  queries: PrometheusQueries,
  check: PreparedCheck,
  atMs: number,
  canaryWeight: number,
): Promise<AnalysisPoint | undefined> {
  if (!measurable(check)) {
    return undefined;
  }
  const [canary, primary] = await Promise.all([
    queries.instant(check.route, check.query.canary, atMs),
    queries.instant(check.route, check.query.primary, atMs),
  ]);
  return pointOf(check, atMs, canary, primary, canaryWeight);
}

/**
 * The points a check would have had at `times` (ascending, one interval apart): two range
 * queries (`/api/v1/query_range`, step = the interval). A fault of the whole range answer
 * yields no points (and is returned).
 */
export async function measureRange(
  queries: PrometheusQueries,
  check: PreparedCheck,
  times: number[],
  stepMs: number,
  weightAt: (atMs: number) => number | undefined,
): Promise<{ points: AnalysisPoint[]; fault?: AnalysisFault }> {
  if (!measurable(check) || times.length === 0) {
    return { points: [] };
  }
  const [canary, primary] = await Promise.all([
    queries.range(check.route, check.query.canary, times, stepMs),
    queries.range(check.route, check.query.primary, times, stepMs),
  ]);
  if (!(canary instanceof Map)) {
    return {
      points: [],
      fault: named(check.description.metric, 'canary', canary.fault),
    };
  }
  const points: AnalysisPoint[] = [];
  for (const at of times) {
    const weight = weightAt(at);
    // Flagger runs no check before traffic reaches the canary.
    if (weight === 0) {
      continue;
    }
    const primaryOutcome = primary instanceof Map ? primary.get(at)! : primary;
    points.push(pointOf(check, at, canary.get(at)!, primaryOutcome, weight));
  }
  return { points };
}
