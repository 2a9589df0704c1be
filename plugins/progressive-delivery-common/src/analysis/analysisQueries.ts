// The query Flagger runs for each metric check of a canary, rendered for the canary (as
// Flagger runs it) and for the primary (the same query with the primary's workload), so a
// backend can evaluate both against Prometheus and show why a check passed or failed.
// Facts from fluxcd/flagger v1.44.0 (15bd6ad555e6c935da55f0ab95977be74c149bd6),
// pkg/controller/scheduler_metrics.go unless said otherwise.

import { KubeObject } from '../kubernetes';
import { analysisRecord } from '../derivations/canaryAnalysis';
import { findNamed } from '../derivations/canaryMetrics';
import {
  asArray,
  asRecord,
  asString,
  asStringMap,
  readPath,
  UnknownRecord,
} from '../derivations/read';
import {
  FLAGGER_DEFAULT_METRICS_SERVER,
  flaggerMetricsProvider,
  FlaggerObserver,
  flaggerObserver,
  isBuiltinMetric,
  observerQueries,
} from './builtinQueries';
import {
  collapsePromQLWhitespace,
  executeFlaggerTemplate,
  FlaggerTemplateError,
  FlaggerTemplateModel,
  parseFlaggerTemplate,
} from './goTemplate';
import { AnalysisThresholdRange, readAnalysisRange } from './thresholds';

/**
 * Flagger's settings a cluster runs with (its command-line flags), when known.
 *
 * @public
 */
export interface AnalysisQueryOptions {
  /** Flagger's `-mesh-provider` (default `istio`). */
  meshProvider?: string;
  /** Flagger's `-metrics-server` (default `http://prometheus:9090`). */
  metricsServer?: string;
}

/**
 * Where Flagger sends a query: a MetricTemplate's `spec.provider`, or for built-in and inline
 * checks Prometheus at the canary's `spec.metricsServer` or Flagger's `-metrics-server`.
 *
 * @public
 */
export interface AnalysisQueryProvider {
  /** The type Flagger uses: an empty or unknown type is `prometheus` (providers/factory.go). */
  type: string;
  address?: string;
  /** `spec.provider.secretRef.name`: the query needs the credentials in that Secret. */
  secretRef?: string;
  insecureSkipVerify?: boolean;
}

/**
 * What every check says, rendered or not.
 *
 * @public
 */
export interface AnalysisQueryBase {
  /** The check's `name`. */
  metric: string;
  /** A built-in check, a MetricTemplate, or the deprecated inline `query`. */
  kind: 'builtin' | 'template' | 'query';
  /** The window `{{ interval }}` renders as (empty for a MetricTemplate check without one). */
  interval: string;
  /** The accepted values, as Flagger compares them (request-duration: whole milliseconds). */
  range: AnalysisThresholdRange;
  rangeFrom: 'thresholdRange' | 'threshold';
  /** request-success-rate: percent (0-100); request-duration: milliseconds. */
  unit?: 'percent' | 'milliseconds';
  /** The MetricTemplate (namespace defaulted to the canary's). */
  templateRef?: { name: string; namespace: string };
  /** The observer answering a built-in check. */
  observer?: FlaggerObserver;
  /** Facts worth showing next to the check (Flagger quirks, rewrites). */
  notes: string[];
}

/**
 * A check's query for the canary and for the primary.
 *
 * @public
 */
export interface RenderedAnalysisQuery extends AnalysisQueryBase {
  /** The query as Flagger sends it (whitespace collapsed for Prometheus). */
  canary: string;
  /** The same query for the primary workload (`<target>-primary`). */
  primary: string;
  provider: AnalysisQueryProvider;
  /** Multiply the query's result by this for the value Flagger compares (see flaggerValue). */
  valueScale: number;
  /** Whether Flagger truncates the value to whole milliseconds (request-duration). */
  wholeMilliseconds: boolean;
}

/**
 * A check whose query cannot be rendered, and why.
 *
 * @public
 */
export interface AnalysisQueryProblem extends AnalysisQueryBase {
  problem: string;
}

/**
 * One check of a canary's analysis: its queries, or a problem.
 *
 * @public
 */
export type AnalysisQuery = RenderedAnalysisQuery | AnalysisQueryProblem;

/**
 * A metric check as written in a canary's `spec.analysis.metrics`.
 *
 * @public
 */
export interface FlaggerMetricSpec {
  name?: string;
  interval?: string;
  threshold?: number;
  thresholdRange?: { min?: number; max?: number };
  query?: string;
  templateRef?: { name?: string; namespace?: string };
  templateVariables?: Record<string, string>;
}

/**
 * Whether a check's queries were rendered.
 *
 * @public
 */
export function isRenderedAnalysisQuery(
  query: AnalysisQuery,
): query is RenderedAnalysisQuery {
  return !('problem' in query);
}

/**
 * The value Flagger compares with the range, from the query's result: request-duration is
 * scaled to milliseconds (the HTTP observer's query returns seconds) and truncated.
 *
 * @public
 */
export function flaggerValue(
  query: Pick<RenderedAnalysisQuery, 'valueScale' | 'wholeMilliseconds'>,
  result: number,
): number {
  const value = result * query.valueScale;
  return query.wholeMilliseconds ? Math.trunc(value) : value;
}

// The metric provider types Flagger knows (pkg/metrics/providers/factory.go).
const PROVIDER_TYPES = new Set(
  'prometheus datadog externalmetrics cloudwatch newrelic graphite stackdriver influxdb dynatrace keptn splunk'.split(
    ' ',
  ),
);

/** toMetricModel: the template model of a canary and one check. */
function metricModel(
  canary: KubeObject,
  interval: string,
  variables: Record<string, string>,
): FlaggerTemplateModel {
  const target = asString(readPath(canary.spec, 'targetRef', 'name')) ?? '';
  const refName = (field: string) =>
    asString(readPath(canary.spec, field, 'name')) || target;
  return {
    name: canary.metadata?.name ?? '',
    namespace: canary.metadata?.namespace ?? '',
    target,
    service: refName('service'),
    ingress: refName('ingressRef'),
    route: refName('routeRef'),
    interval,
    variables,
  };
}

/** The primary's model: Flagger names the primary workload `<target>-primary`. */
function primaryModel(model: FlaggerTemplateModel): FlaggerTemplateModel {
  return { ...model, target: `${model.target}-primary` };
}

function describeError(where: string, error: FlaggerTemplateError): string {
  const at = `${error.action ?? 'the template'} (line ${error.line})`;
  if (error.kind === 'parse') {
    return `${where} is not a valid Go template: line ${error.line}: ${error.message}; Flagger fails the check ("template parsing failed")`;
  }
  if (error.variable !== undefined) {
    return `${where}: ${at} needs templateVariables.${error.variable}, which the check does not set; Flagger fails the check ("map has no entry for key \\"${error.variable}\\"")`;
  }
  if (error.kind === 'execute') {
    return `${where}: ${at}: ${error.message}; Flagger fails the check ("template excution failed")`;
  }
  return `${where}: ${at} is Go template syntax this module does not render (${error.message}); Flagger may accept it`;
}

interface RenderInput {
  base: AnalysisQueryBase;
  where: string;
  template: string;
  model: FlaggerTemplateModel;
  provider: AnalysisQueryProvider;
  valueScale?: number;
}

/** Renders for the canary and the primary; collapses whitespace for Prometheus. */
function renderBoth(input: RenderInput): AnalysisQuery {
  const { base, where, template, model, provider } = input;
  const parsed = parseFlaggerTemplate(template);
  const canary = executeFlaggerTemplate(parsed, model);
  const primary = executeFlaggerTemplate(parsed, primaryModel(model));
  if ('error' in canary) {
    return { ...base, problem: describeError(where, canary.error) };
  }
  if ('error' in primary) {
    return { ...base, problem: describeError(where, primary.error) };
  }
  const finish = (text: string) =>
    provider.type === 'prometheus' ? collapsePromQLWhitespace(text) : text;
  if (canary.text === primary.text) {
    base.notes.push(
      'the query does not use {{ target }}: the primary query is the same as the canary query',
    );
  }
  return {
    ...base,
    canary: finish(canary.text),
    primary: finish(primary.text),
    provider,
    valueScale: input.valueScale ?? 1,
    wholeMilliseconds: base.unit === 'milliseconds',
  };
}

/** The Prometheus Flagger sends built-in and inline queries to. */
function flaggerPrometheus(
  canary: KubeObject,
  options: AnalysisQueryOptions,
): AnalysisQueryProvider {
  const address =
    asString(readPath(canary.spec, 'metricsServer')) ||
    options.metricsServer ||
    FLAGGER_DEFAULT_METRICS_SERVER;
  return { type: 'prometheus', address };
}

/** A built-in check: its observer's query (runBuiltinMetricChecks). */
function renderBuiltin(
  canary: KubeObject,
  base: AnalysisQueryBase,
  model: FlaggerTemplateModel,
  options: AnalysisQueryOptions,
): AnalysisQuery {
  const metricsProvider = flaggerMetricsProvider(canary, options.meshProvider);
  const observer = flaggerObserver(metricsProvider);
  const duration = base.metric === 'request-duration';
  const withObserver: AnalysisQueryBase = {
    ...base,
    observer,
    unit: duration ? 'milliseconds' : 'percent',
  };
  const queries = observerQueries(observer);
  if (!queries) {
    const problem = `Flagger answers ${base.metric} for provider "${metricsProvider}" with its ${observer} observer, whose queries this module does not render`;
    return { ...withObserver, problem };
  }
  const rendered = renderBoth({
    base: withObserver,
    where: `the built-in ${base.metric} query`,
    template: duration ? queries.duration : queries.successRate,
    model,
    provider: flaggerPrometheus(canary, options),
    valueScale: duration ? queries.durationScale : 1,
  });
  if (observer === 'nginx' && isRenderedAnalysisQuery(rendered)) {
    // NGINX labels requests that reached the canary backend with canary="<service>"; the
    // primary's are the rest. Not Flagger's (it queries the canary only): a rewrite.
    rendered.primary = rendered.primary.split('canary!=""').join('canary=""');
    rendered.notes.push(
      'primary: the NGINX query with canary="" (requests not routed to the canary) in place of canary!=""',
    );
  }
  return rendered;
}

/** A MetricTemplate check (runMetricChecks). */
function renderTemplate(
  base: AnalysisQueryBase,
  ref: { name: string; namespace: string },
  template: KubeObject | undefined,
  model: FlaggerTemplateModel,
): AnalysisQuery {
  const id = `${ref.namespace}/${ref.name}`;
  const withRef = { ...base, templateRef: ref };
  if (!template) {
    return { ...withRef, problem: `MetricTemplate ${id} not found` };
  }
  const found = `${template.metadata?.namespace}/${template.metadata?.name}`;
  if (found !== id) {
    const problem = `the check names MetricTemplate ${id}, not ${found}`;
    return { ...withRef, problem };
  }
  const spec = asRecord(template.spec);
  const declared = asString(readPath(spec, 'provider', 'type')) ?? '';
  const provider: AnalysisQueryProvider = {
    type: PROVIDER_TYPES.has(declared) ? declared : 'prometheus',
  };
  if (!PROVIDER_TYPES.has(declared)) {
    withRef.notes.push(
      `provider type "${declared}" is unknown to Flagger, which warns and uses prometheus`,
    );
  }
  const address = asString(readPath(spec, 'provider', 'address'));
  if (address) provider.address = address;
  const secretRef = asString(readPath(spec, 'provider', 'secretRef', 'name'));
  if (secretRef) provider.secretRef = secretRef;
  if (readPath(spec, 'provider', 'insecureSkipVerify') === true) {
    provider.insecureSkipVerify = true;
  }
  if (provider.type === 'prometheus' && !address) {
    const problem = `MetricTemplate ${id}: prometheus address "" is not a valid URL; Flagger fails the check`;
    return { ...withRef, problem };
  }
  if (!base.interval) {
    withRef.notes.push(
      'the check sets no interval: Flagger v1.44 defaults it to 1m for built-in checks only, so {{ interval }} renders empty',
    );
  }
  return renderBoth({
    base: withRef,
    where: `MetricTemplate ${id}`,
    template: asString(spec?.query) ?? '',
    model,
    provider,
  });
}

/** Which of Flagger's passes evaluate a check, in Flagger's order. */
function checkKinds(metric: UnknownRecord, name: string) {
  const kinds: AnalysisQueryBase['kind'][] = [];
  if (isBuiltinMetric(name)) kinds.push('builtin');
  if (asString(metric.query)) kinds.push('query');
  if (asRecord(metric.templateRef)) kinds.push('template');
  return kinds;
}

/**
 * Renders one check of a canary's analysis: the query Flagger runs for the canary, and the
 * same query for the primary (`<target>-primary`; Flagger itself queries the canary only).
 * `template` is the MetricTemplate the check's `templateRef` names, when it has one (its
 * namespace defaults to the canary's). Never throws: what cannot be rendered is a `problem`.
 *
 * A check Flagger evaluates more than once (a built-in name with a `templateRef` or `query`)
 * is rendered as Flagger evaluates it first: built-in, then inline query, then template.
 *
 * @public
 */
export function renderAnalysisQuery(
  canary: KubeObject,
  metricSpec: FlaggerMetricSpec | UnknownRecord,
  template?: KubeObject,
  options: AnalysisQueryOptions = {},
): AnalysisQuery {
  const metric = asRecord(metricSpec) ?? {};
  const name = asString(metric.name) ?? '';
  const kinds = checkKinds(metric, name);
  const kind = kinds[0] ?? 'template';
  const declaredInterval = asString(metric.interval) ?? '';
  // runBuiltinMetricChecks defaults the interval to 1m on its copy of the check only.
  const interval =
    kind === 'template' ? declaredInterval : declaredInterval || '1m';
  const base: AnalysisQueryBase = {
    metric: name,
    kind,
    interval,
    ...readAnalysisRange(metric, name),
    notes: kinds
      .slice(1)
      .map(
        k =>
          `Flagger also evaluates this check's ${
            k === 'query' ? 'inline query' : 'MetricTemplate'
          }`,
      ),
  };
  if (kinds.length === 0) {
    const problem =
      'no usable metrics template and query were configured; Flagger fails the check';
    return { ...base, problem };
  }
  const model = metricModel(
    canary,
    interval,
    asStringMap(metric.templateVariables) ?? {},
  );
  if (!model.target) {
    return { ...base, problem: 'the canary names no spec.targetRef' };
  }
  if (kind === 'builtin') {
    return renderBuiltin(canary, base, model, options);
  }
  if (kind === 'query') {
    return renderBoth({
      base,
      where: 'the inline query',
      template: asString(metric.query) ?? '',
      model,
      provider: flaggerPrometheus(canary, options),
    });
  }
  const ref = {
    name: asString(readPath(metric, 'templateRef', 'name')) ?? '',
    namespace:
      asString(readPath(metric, 'templateRef', 'namespace')) ||
      (canary.metadata?.namespace ?? ''),
  };
  return renderTemplate(base, ref, template, model);
}

/**
 * Renders every check of a canary's analysis (`spec.analysis.metrics`), each `templateRef`
 * resolved among `templates` (the cluster's MetricTemplates).
 *
 * @public
 */
export function renderAnalysisQueries(
  canary: KubeObject,
  options: AnalysisQueryOptions & { templates?: KubeObject[] } = {},
): AnalysisQuery[] {
  const analysis = analysisRecord(asRecord(canary.spec));
  return (asArray(analysis?.metrics) ?? []).map(raw => {
    const metric = asRecord(raw) ?? {};
    const refName = asString(readPath(metric, 'templateRef', 'name'));
    const refNamespace =
      asString(readPath(metric, 'templateRef', 'namespace')) ||
      (canary.metadata?.namespace ?? '');
    const template = refName
      ? findNamed(options.templates ?? [], refName, refNamespace)
      : undefined;
    return renderAnalysisQuery(canary, metric, template, options);
  });
}
