import { KubeObject } from '../kubernetes';
import {
  AnalysisQuery,
  isRenderedAnalysisQuery,
  RenderedAnalysisQuery,
  renderAnalysisQuery,
} from './analysisQueries';
import { flaggerMetricsProvider, flaggerObserver } from './builtinQueries';

// The expected queries are Flagger's own, copied verbatim from its observer tests in
// fluxcd/flagger v1.44.0 (15bd6ad555e6c935da55f0ab95977be74c149bd6): what its Prometheus
// client sends (whitespace collapsed) for the model name=podinfo, target=podinfo,
// interval=1m and the namespace given per test.

// pkg/metrics/observers/istio_test.go L33 (namespace default)
const ISTIO_SUCCESS_RATE = ` sum( rate( istio_requests_total{ reporter="destination", destination_workload_namespace="default", destination_workload=~"podinfo", response_code!~"5.*" }[1m] ) ) / sum( rate( istio_requests_total{ reporter="destination", destination_workload_namespace="default", destination_workload=~"podinfo" }[1m] ) ) * 100`;
// pkg/metrics/observers/istio_test.go L68
const ISTIO_DURATION = ` histogram_quantile( 0.99, sum( rate( istio_request_duration_milliseconds_bucket{ reporter="destination", destination_workload_namespace="default", destination_workload=~"podinfo" }[1m] ) ) by (le) )`;
// pkg/metrics/observers/http_test.go L33 (the observer of gatewayapi:* and kubernetes)
const HTTP_SUCCESS_RATE = ` sum( rate( http_request_duration_seconds_count{ kubernetes_namespace="default", kubernetes_pod_name=~"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)", status!~"5.*" }[1m] ) ) / sum( rate( http_request_duration_seconds_count{ kubernetes_namespace="default", kubernetes_pod_name=~"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)" }[1m] ) ) * 100`;
// pkg/metrics/observers/http_test.go L68
const HTTP_DURATION = ` histogram_quantile( 0.99, sum( rate( http_request_duration_seconds_bucket{ kubernetes_namespace="default", kubernetes_pod_name=~"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)" }[1m] ) ) by (le) )`;
// pkg/metrics/observers/linkerd_test.go L33
const LINKERD_SUCCESS_RATE = ` sum( rate( response_total{ namespace="default", deployment=~"podinfo", classification!="failure", direction="inbound" }[1m] ) ) / sum( rate( response_total{ namespace="default", deployment=~"podinfo", direction="inbound" }[1m] ) ) * 100`;
// pkg/metrics/observers/linkerd_test.go L68
const LINKERD_DURATION = ` histogram_quantile( 0.99, sum( rate( response_latency_ms_bucket{ namespace="default", deployment=~"podinfo", direction="inbound" }[1m] ) ) by (le) )`;
// pkg/metrics/observers/nginx_test.go L35 (namespace nginx, ingress podinfo)
const NGINX_SUCCESS_RATE = ` sum( rate( nginx_ingress_controller_requests{ namespace="nginx", ingress="podinfo", canary!="", status!~"5.*" }[1m] ) ) / sum( rate( nginx_ingress_controller_requests{ namespace="nginx", ingress="podinfo", canary!="" }[1m] ) ) * 100`;
// pkg/metrics/observers/nginx_test.go L92
const NGINX_DURATION = ` sum( rate( nginx_ingress_controller_response_duration_seconds_sum{ namespace="nginx", ingress="podinfo", canary!="" }[1m] ) ) / sum( rate( nginx_ingress_controller_response_duration_seconds_count{ namespace="nginx", ingress="podinfo", canary!="" }[1m] ) ) * 1000`;

function canaryWith(
  spec: Record<string, unknown>,
  namespace = 'default',
): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      ...spec,
    },
  };
}

function rendered(query: AnalysisQuery): RenderedAnalysisQuery {
  if (!isRenderedAnalysisQuery(query)) {
    throw new Error(`not rendered: ${query.problem}`);
  }
  return query;
}

/** Both built-in checks of a canary, with the spec's 1m interval. */
function builtins(canary: KubeObject, meshProvider?: string) {
  const options = { meshProvider };
  const check = (name: string) =>
    rendered(
      renderAnalysisQuery(canary, { name, interval: '1m' }, undefined, options),
    );
  return {
    successRate: check('request-success-rate'),
    duration: check('request-duration'),
  };
}

describe('built-in checks as Flagger queries them', () => {
  it.each([
    ['no provider, Flagger installed for Istio', {}],
    ['provider istio', { provider: 'istio' }],
  ])('istio: %s', (_, spec) => {
    const { successRate, duration } = builtins(canaryWith(spec));
    expect(successRate.canary).toBe(ISTIO_SUCCESS_RATE);
    expect(duration.canary).toBe(ISTIO_DURATION);
    expect(successRate).toMatchObject({
      observer: 'istio',
      unit: 'percent',
      valueScale: 1,
      wholeMilliseconds: false,
      provider: { type: 'prometheus', address: 'http://prometheus:9090' },
    });
    expect(duration).toMatchObject({
      unit: 'milliseconds',
      valueScale: 1,
      wholeMilliseconds: true,
    });
  });

  it('istio: the primary is the same query for destination_workload <target>-primary', () => {
    const { successRate, duration } = builtins(canaryWith({}));
    expect(successRate.primary).toBe(
      ISTIO_SUCCESS_RATE.split('=~"podinfo"').join('=~"podinfo-primary"'),
    );
    expect(duration.primary).toContain(
      'destination_workload=~"podinfo-primary"',
    );
    expect(duration.primary).not.toContain('=~"podinfo"');
  });

  it.each(['gatewayapi:v1', 'gatewayapi:v1beta1', 'kubernetes'])(
    '%s: the HTTP observer (http_request_duration_seconds, in seconds), not Istio',
    provider => {
      const { successRate, duration } = builtins(canaryWith({ provider }));
      expect(successRate.canary).toBe(HTTP_SUCCESS_RATE);
      expect(duration.canary).toBe(HTTP_DURATION);
      expect(duration).toMatchObject({ observer: 'http', valueScale: 1000 });
      expect(successRate.primary).toContain(
        'kubernetes_pod_name=~"podinfo-primary-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"',
      );
    },
  );

  it('gatewayapi as Flagger -mesh-provider, the canary naming none', () => {
    const { duration } = builtins(canaryWith({}), 'gatewayapi:v1');
    expect(duration.canary).toBe(HTTP_DURATION);
  });

  it('linkerd: deployment=~"<target>", the primary deployment for the primary', () => {
    const { successRate, duration } = builtins(
      canaryWith({ provider: 'linkerd' }),
    );
    expect(successRate.canary).toBe(LINKERD_SUCCESS_RATE);
    expect(duration.canary).toBe(LINKERD_DURATION);
    expect(duration.primary).toBe(
      LINKERD_DURATION.replace('=~"podinfo"', '=~"podinfo-primary"'),
    );
  });

  it('nginx: the ingress series; the primary is the traffic not routed to the canary', () => {
    const canary = canaryWith(
      { provider: 'nginx', ingressRef: { name: 'podinfo' } },
      'nginx',
    );
    const { successRate, duration } = builtins(canary);
    expect(successRate.canary).toBe(NGINX_SUCCESS_RATE);
    expect(duration.canary).toBe(NGINX_DURATION);
    expect(duration.primary).toBe(
      NGINX_DURATION.split('canary!=""').join('canary=""'),
    );
    expect(duration.notes.join()).toMatch(/canary=""/);
  });

  it('the interval defaults to 1m (canary.GetMetricInterval) and follows the check', () => {
    const canary = canaryWith({});
    const defaulted = rendered(
      renderAnalysisQuery(canary, { name: 'request-success-rate' }),
    );
    expect(defaulted.interval).toBe('1m');
    expect(defaulted.canary).toBe(ISTIO_SUCCESS_RATE);
    const thirty = rendered(
      renderAnalysisQuery(canary, {
        name: 'request-duration',
        interval: '30s',
      }),
    );
    expect(thirty.canary).toBe(ISTIO_DURATION.replace('[1m]', '[30s]'));
  });

  it('queries spec.metricsServer when the canary sets one, else the -metrics-server given', () => {
    const own = canaryWith({ metricsServer: 'http://thanos.monitoring:9090' });
    const check = { name: 'request-success-rate' };
    expect(rendered(renderAnalysisQuery(own, check)).provider.address).toBe(
      'http://thanos.monitoring:9090',
    );
    const flag = { metricsServer: 'http://prometheus.istio-system:9090' };
    expect(
      rendered(renderAnalysisQuery(canaryWith({}), check, undefined, flag))
        .provider.address,
    ).toBe('http://prometheus.istio-system:9090');
  });

  it('an observer whose queries are not rendered here is a problem, not a wrong query', () => {
    const result = renderAnalysisQuery(canaryWith({ provider: 'contour' }), {
      name: 'request-duration',
    });
    expect(result).toMatchObject({
      observer: 'contour',
      problem: expect.stringContaining('contour observer'),
    });
  });
});

describe('which observer Flagger picks (scheduler_metrics.go, factory.go)', () => {
  it.each([
    [{}, 'istio', 'istio', 'istio'],
    [{ provider: 'gatewayapi:v1' }, 'istio', 'gatewayapi:v1', 'http'],
    [{ provider: 'istio' }, 'linkerd', 'linkerd', 'linkerd'],
    [{}, 'smi:crossover', 'crossover', 'istio'],
    [{ provider: 'smi:v1alpha3' }, 'istio', 'smi:v1alpha3', 'istio'],
    [{ provider: 'appmesh:v1beta2' }, 'istio', 'appmesh:v1beta2', 'appmesh'],
    [{ provider: 'gloo:v1' }, 'istio', 'gloo:v1', 'gloo'],
    [
      { provider: 'kubernetes', targetRef: { kind: 'Service', name: 'p' } },
      'istio',
      'kubernetes:service',
      'istio',
    ],
    [
      {
        provider: 'knative',
        targetRef: {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          name: 'p',
        },
      },
      'istio',
      'knative',
      'knative',
    ],
  ])(
    '%j with -mesh-provider %s: %s -> %s',
    (spec, mesh, provider, observer) => {
      const metricsProvider = flaggerMetricsProvider(canaryWith(spec), mesh);
      expect(metricsProvider).toBe(provider);
      expect(flaggerObserver(metricsProvider)).toBe(observer);
    },
  );
});
