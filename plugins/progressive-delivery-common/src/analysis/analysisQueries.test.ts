import { loadUpstream, pick, pickAll } from '../__testUtils__/fixtures';
import { KubeObject } from '../kubernetes';
import {
  AnalysisQuery,
  flaggerValue,
  isRenderedAnalysisQuery,
  RenderedAnalysisQuery,
  renderAnalysisQueries,
  renderAnalysisQuery,
} from './analysisQueries';
import { judge } from './thresholds';

function rendered(query: AnalysisQuery): RenderedAnalysisQuery {
  if (!isRenderedAnalysisQuery(query)) {
    throw new Error(`not rendered: ${query.problem}`);
  }
  return query;
}

function problem(query: AnalysisQuery): string {
  if (isRenderedAnalysisQuery(query)) {
    throw new Error(`rendered: ${query.canary}`);
  }
  return query.problem;
}

function metricTemplate(
  name: string,
  namespace: string,
  spec: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name, namespace },
    spec,
  };
}

const PROMETHEUS = { type: 'prometheus', address: 'http://prometheus:9090' };

describe('flagger-metrictemplate-alertprovider-refs (upstream fixture)', () => {
  const docs = loadUpstream('flagger-metrictemplate-alertprovider-refs.yaml');
  const canary = pick(docs, 'Canary');
  const queries = renderAnalysisQueries(canary, {
    templates: pickAll(docs, 'MetricTemplate'),
  });

  it('renders one entry per check, in order', () => {
    expect(queries.map(q => [q.metric, q.kind])).toEqual([
      ['request-success-rate', 'builtin'],
      ['404s percentage', 'template'],
      ['my metric', 'template'],
      ['404s (canary namespace)', 'template'],
    ]);
  });

  it('request-success-rate: the built-in Istio query (Flagger installed for Istio)', () => {
    const check = rendered(queries[0]);
    expect(check.canary).toContain(
      'destination_workload_namespace="test", destination_workload=~"podinfo", response_code!~"5.*"',
    );
    expect(check.primary).toContain('destination_workload=~"podinfo-primary"');
    expect(check.range).toEqual({ min: 99 });
  });

  // The expected texts are docs/gitbook/usage/metrics.md L137-182 and L106-128 of
  // fluxcd/flagger v1.44.0 (15bd6ad555e6c935da55f0ab95977be74c149bd6), rendered for
  // test/podinfo at 1m, whitespace collapsed as Flagger's Prometheus client sends them.
  it('404s percentage: istio-system/not-found-percentage with namespace, target, interval', () => {
    const check = rendered(queries[1]);
    expect(check.canary).toBe(
      '100 - sum( rate( istio_requests_total{ reporter="destination", destination_workload_namespace="test", destination_workload="podinfo", response_code!="404" }[1m] ) ) / sum( rate( istio_requests_total{ reporter="destination", destination_workload_namespace="test", destination_workload="podinfo" }[1m] ) ) * 100 ',
    );
    expect(check.primary).toBe(
      check.canary.split('"podinfo"').join('"podinfo-primary"'),
    );
    expect(check).toMatchObject({
      templateRef: { name: 'not-found-percentage', namespace: 'istio-system' },
      provider: {
        type: 'prometheus',
        address: 'http://prometheus.istio-system:9090',
      },
      range: { max: 5 },
      rangeFrom: 'thresholdRange',
      valueScale: 1,
      wholeMilliseconds: false,
    });
    expect(check.unit).toBeUndefined();
  });

  it('my metric: templateVariables.direction in the Linkerd query', () => {
    const check = rendered(queries[2]);
    expect(check.canary).toBe(
      'histogram_quantile( 0.99, sum( rate( response_latency_ms_bucket{ namespace="test", deployment=~"podinfo", direction="inbound" }[1m] ) ) by (le) ) ',
    );
    expect(check.primary).toContain('deployment=~"podinfo-primary"');
    expect(check.provider.address).toBe('http://prometheus.linkerd-viz:9090');
    expect(check.range).toEqual({ min: 10, max: 1000 });
  });

  it('404s (canary namespace): the template is looked up in the canary namespace, and is missing', () => {
    expect(queries[3]).toMatchObject({
      templateRef: { name: 'not-found-percentage', namespace: 'test' },
      problem: 'MetricTemplate test/not-found-percentage not found',
    });
  });

  it('my metric without templateVariables: a problem naming the variable', () => {
    const metric = { ...(canary.spec as any).analysis.metrics[2] };
    delete metric.templateVariables;
    const template = pick(docs, 'MetricTemplate', 'my-metric');
    expect(problem(renderAnalysisQuery(canary, metric, template))).toBe(
      'MetricTemplate flagger/my-metric: {{ variables.direction }} (line 8) needs templateVariables.direction, which the check does not set; Flagger fails the check ("map has no entry for key \\"direction\\"")',
    );
  });
});

// docs/gitbook/tutorials/gatewayapi-progressive-delivery.md L96-150 and L203-220, fluxcd/flagger
// v1.44.0 (15bd6ad555e6c935da55f0ab95977be74c149bd6): Istio with the Gateway API measures at
// the source (the gateway), in MetricTemplates; Flagger runs with -mesh-provider gatewayapi:v1.
describe('the Gateway API tutorial templates (reporter="source")', () => {
  const latency = metricTemplate('latency', 'flagger-system', {
    provider: {
      type: 'prometheus',
      address: 'http://prometheus.istio-system:9090',
    },
    query: `histogram_quantile(0.99,
  sum(
    rate(
      istio_request_duration_milliseconds_bucket{
        reporter="source",
        destination_workload_namespace=~"{{ namespace }}",
        destination_workload=~"{{ target }}",
      }[{{ interval }}]
    )
  ) by (le)
)/1000
`,
  });
  const canary: KubeObject = {
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
    },
  };
  const check = {
    name: 'latency',
    templateRef: { name: 'latency', namespace: 'flagger-system' },
    thresholdRange: { max: 0.5 },
    interval: '30s',
  };

  it('latency: the canary and the primary destination_workload, at the check interval', () => {
    const result = rendered(renderAnalysisQuery(canary, check, latency));
    expect(result.canary).toBe(
      'histogram_quantile(0.99, sum( rate( istio_request_duration_milliseconds_bucket{ reporter="source", destination_workload_namespace=~"test", destination_workload=~"podinfo", }[30s] ) ) by (le) )/1000 ',
    );
    expect(result.primary).toBe(
      result.canary.replace('=~"podinfo"', '=~"podinfo-primary"'),
    );
    expect(result.range).toEqual({ max: 0.5 });
  });
});

describe('renderAnalysisQuery: MetricTemplate details', () => {
  const canary: KubeObject = {
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      targetRef: { kind: 'Deployment', name: 'web-app' },
      service: { name: 'web-svc', port: 80 },
      ingressRef: { name: 'web-ing' },
    },
  };
  const ref = { name: 't', namespace: 'shop' };
  const every =
    '{{ name }} {{ namespace }} {{ target }} {{ service }} {{ ingress }} {{ route }} {{ interval }}';

  it('every model variable, the primary changing only the target', () => {
    const template = metricTemplate('t', 'shop', {
      provider: { type: 'prometheus', address: 'http://p:9090' },
      query: every,
    });
    const result = rendered(
      renderAnalysisQuery(
        canary,
        { name: 'm', templateRef: ref, interval: '5m' },
        template,
      ),
    );
    expect(result.canary).toBe('web shop web-app web-svc web-ing web-app 5m');
    expect(result.primary).toBe(
      'web shop web-app-primary web-svc web-ing web-app 5m',
    );
  });

  it('a query without {{ target }} says its primary variant is the same query', () => {
    const template = metricTemplate('t', 'shop', {
      provider: { type: 'prometheus', address: 'http://p:9090' },
      query: 'sum(rate(x{service="{{ service }}"}[1m]))',
    });
    const result = rendered(
      renderAnalysisQuery(canary, { name: 'm', templateRef: ref }, template),
    );
    expect(result.primary).toBe(result.canary);
    expect(result.notes).toContain(
      'the query does not use {{ target }}: the primary query is the same as the canary query',
    );
  });

  it('a check without interval renders {{ interval }} empty, as Flagger v1.44 does, and says so', () => {
    const template = metricTemplate('t', 'shop', {
      provider: { type: 'prometheus', address: 'http://p:9090' },
      query: 'rate(x[{{ interval }}])',
    });
    const result = rendered(
      renderAnalysisQuery(canary, { name: 'm', templateRef: ref }, template),
    );
    expect(result.canary).toBe('rate(x[])');
    expect(result.notes.join()).toMatch(/interval/);
  });

  it('the provider: secretRef and insecureSkipVerify kept; another type is not whitespace-collapsed', () => {
    const template = metricTemplate('t', 'shop', {
      provider: {
        type: 'datadog',
        address: 'https://api.datadoghq.com',
        secretRef: { name: 'datadog' },
        insecureSkipVerify: true,
      },
      query: 'avg:requests{env:{{ namespace }}}\n  .rollup(60)',
    });
    const result = rendered(
      renderAnalysisQuery(canary, { name: 'm', templateRef: ref }, template),
    );
    expect(result.provider).toEqual({
      type: 'datadog',
      address: 'https://api.datadoghq.com',
      secretRef: 'datadog',
      insecureSkipVerify: true,
    });
    expect(result.canary).toBe('avg:requests{env:shop}\n  .rollup(60)');
  });

  it('an empty or unknown provider type is prometheus (with a note); prometheus needs an address', () => {
    const unknown = metricTemplate('t', 'shop', {
      provider: { type: 'victoria', address: 'http://vm:8428' },
      query: 'up',
    });
    const result = rendered(
      renderAnalysisQuery(canary, { name: 'm', templateRef: ref }, unknown),
    );
    expect(result.provider.type).toBe('prometheus');
    expect(result.notes.join()).toMatch(/unknown to Flagger/);
    const noAddress = metricTemplate('t', 'shop', { query: 'up' });
    expect(
      problem(
        renderAnalysisQuery(canary, { name: 'm', templateRef: ref }, noAddress),
      ),
    ).toMatch(/prometheus address "" is not a valid URL/);
  });

  it('a malformed template is a problem, never a throw', () => {
    const template = metricTemplate('t', 'shop', {
      provider: { type: 'prometheus', address: 'http://p:9090' },
      query: 'sum(x{ns="{{ namespace }}"}[{{ interval ]',
    });
    expect(
      problem(
        renderAnalysisQuery(canary, { name: 'm', templateRef: ref }, template),
      ),
    ).toBe(
      'MetricTemplate shop/t is not a valid Go template: line 1: unclosed action; Flagger fails the check ("template parsing failed")',
    );
  });

  it('a template other than the one the check names is a problem', () => {
    const other = metricTemplate('u', 'shop', { query: 'up' });
    expect(
      problem(
        renderAnalysisQuery(canary, { name: 'm', templateRef: ref }, other),
      ),
    ).toBe('the check names MetricTemplate shop/t, not shop/u');
  });
});

describe('renderAnalysisQuery: other checks', () => {
  const canary: KubeObject = {
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { targetRef: { kind: 'Deployment', name: 'web' } },
  };

  it("the deprecated inline query: rendered with the 1m default, sent to Flagger's Prometheus", () => {
    const result = rendered(
      renderAnalysisQuery(canary, {
        name: 'errors',
        query: 'sum(rate(errors{pod=~"{{ target }}-.*"}[{{ interval }}]))',
        threshold: 3,
      }),
    );
    expect(result).toMatchObject({
      kind: 'query',
      canary: 'sum(rate(errors{pod=~"web-.*"}[1m]))',
      primary: 'sum(rate(errors{pod=~"web-primary-.*"}[1m]))',
      provider: PROMETHEUS,
      range: { max: 3 },
      rangeFrom: 'threshold',
    });
  });

  it("a check with neither built-in name, template nor query: Flagger's error", () => {
    expect(problem(renderAnalysisQuery(canary, { name: 'custom' }))).toMatch(
      /no usable metrics template and query were configured/,
    );
  });

  it('a built-in name with a templateRef: the built-in first, the template noted', () => {
    const result = renderAnalysisQuery(canary, {
      name: 'request-success-rate',
      templateRef: { name: 't' },
    });
    expect(result.kind).toBe('builtin');
    expect(result.notes).toEqual([
      "Flagger also evaluates this check's MetricTemplate",
    ]);
  });

  it('a canary without targetRef is a problem', () => {
    const bare = { ...canary, spec: {} };
    expect(
      problem(renderAnalysisQuery(bare, { name: 'request-duration' })),
    ).toBe('the canary names no spec.targetRef');
  });

  it('a canary without analysis has no checks; spec.canaryAnalysis still counts', () => {
    expect(renderAnalysisQueries(canary)).toEqual([]);
    const legacy = {
      ...canary,
      spec: {
        targetRef: { kind: 'Deployment', name: 'web' },
        canaryAnalysis: {
          metrics: [{ name: 'request-duration', threshold: 500 }],
        },
      },
    };
    expect(renderAnalysisQueries(legacy).map(q => q.range)).toEqual([
      { max: 500 },
    ]);
  });
});

describe('thresholds and judge (scheduler_metrics.go)', () => {
  const canary: KubeObject = {
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { targetRef: { kind: 'Deployment', name: 'web' } },
  };
  const range = (metric: Record<string, unknown>) =>
    renderAnalysisQuery(canary, metric).range;

  it('thresholdRange, else the deprecated threshold: a minimum for success rate, else a maximum', () => {
    expect(
      range({ name: 'request-success-rate', thresholdRange: { min: 99 } }),
    ).toEqual({ min: 99 });
    expect(range({ name: 'request-success-rate', threshold: 99 })).toEqual({
      min: 99,
    });
    expect(range({ name: 'request-duration', threshold: 500 })).toEqual({
      max: 500,
    });
    expect(range({ name: 'x', query: 'up', threshold: 2 })).toEqual({ max: 2 });
    // Neither: Flagger compares with threshold 0.
    expect(range({ name: 'x', query: 'up' })).toEqual({ max: 0 });
    expect(range({ name: 'request-success-rate' })).toEqual({ min: 0 });
  });

  it('request-duration compares whole milliseconds (time.Duration)', () => {
    expect(
      range({
        name: 'request-duration',
        thresholdRange: { min: 10.9, max: 500.7 },
      }),
    ).toEqual({
      min: 10,
      max: 500,
    });
    const http = { valueScale: 1000, wholeMilliseconds: true };
    expect(flaggerValue(http, 0.5009)).toBe(500);
    expect(
      flaggerValue({ valueScale: 1, wholeMilliseconds: false }, 99.5),
    ).toBe(99.5);
  });

  it('judge: below min or above max fails, a bound itself passes, NaN fails', () => {
    expect(judge(99, { min: 99 })).toBe('pass');
    expect(judge(98.99, { min: 99 })).toBe('fail');
    expect(judge(500, { max: 500 })).toBe('pass');
    expect(judge(501, { max: 500 })).toBe('fail');
    expect(judge(5, { min: 10, max: 1000 })).toBe('fail');
    expect(judge(5, {})).toBe('pass');
    expect(judge(NaN, {})).toBe('fail');
  });
});
