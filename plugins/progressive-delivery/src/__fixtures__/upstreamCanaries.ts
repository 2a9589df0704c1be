// Flagger Canaries of the common package's upstream fixtures
// (plugins/progressive-delivery-common/src/__fixtures__/upstream/<file>.yaml, whose headers name
// the repository, path and commit each was taken from: fluxcd/flagger v1.44.0 =
// 15bd6ad555e6c935da55f0ab95977be74c149bd6). Specs are trimmed to what the UI reads; statuses are
// copied as the files hold them.
import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';

function flaggerCanary(
  namespace: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  name = 'podinfo',
): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      ...spec,
    },
    status,
  };
}

const PROGRESSING = {
  phase: 'Progressing',
  failedChecks: 0,
  lastTransitionTime: '2026-08-10T10:01:00Z',
};

const GATEWAY_SERVICE = {
  port: 9898,
  hosts: ['www.example.com'],
  gatewayRefs: [{ name: 'gateway', namespace: 'istio-ingress' }],
};

const GATEWAY_METRICS = [
  {
    name: 'error-rate',
    templateRef: { name: 'error-rate', namespace: 'flagger-system' },
    thresholdRange: { max: 1 },
    interval: '1m',
  },
  {
    name: 'latency',
    templateRef: { name: 'latency', namespace: 'flagger-system' },
    thresholdRange: { max: 0.5 },
    interval: '30s',
  },
];

/** gatewayapi-canary-progressing.yaml: step 2 (canary 20%). */
export const gatewayApiCanary = flaggerCanary(
  'test',
  {
    provider: 'gatewayapi:v1',
    service: GATEWAY_SERVICE,
    analysis: {
      interval: '15s',
      threshold: 15,
      maxWeight: 50,
      stepWeight: 10,
      metrics: GATEWAY_METRICS,
    },
  },
  {
    ...PROGRESSING,
    canaryWeight: 20,
    iterations: 0,
    lastAppliedSpec: '5d7c9b8f6c',
    lastPromotedSpec: '7f5b4d9c8',
  },
);

/** gatewayapi-ab-testing.yaml: header x-canary = insider, iteration 4 of 10. */
export const abTestingCanary = flaggerCanary(
  'ab-test',
  {
    provider: 'gatewayapi:v1',
    service: GATEWAY_SERVICE,
    analysis: {
      interval: '15s',
      threshold: 10,
      iterations: 10,
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
      metrics: GATEWAY_METRICS,
    },
  },
  {
    ...PROGRESSING,
    canaryWeight: 0,
    iterations: 4,
    lastAppliedSpec: '6f8d7c5b9a',
    lastPromotedSpec: '59c7b8d6f',
  },
);

/** gatewayapi-session-affinity.yaml: step 1 (canary 10%) with a sticky cookie. */
export const sessionAffinityCanary = flaggerCanary(
  'sa-test',
  {
    provider: 'gatewayapi:v1',
    service: GATEWAY_SERVICE,
    analysis: {
      interval: '15s',
      threshold: 15,
      maxWeight: 50,
      stepWeight: 10,
      sessionAffinity: { cookieName: 'canary-flagger-cookie' },
      metrics: GATEWAY_METRICS,
    },
  },
  {
    ...PROGRESSING,
    canaryWeight: 10,
    iterations: 0,
    sessionAffinityCookie: 'canary-flagger-cookie=LpsIaLdoNZ',
    lastAppliedSpec: '7b9c8d6f5d',
    lastPromotedSpec: '6d8f7c9b5',
  },
);

const ISTIO_METRICS = [
  { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' },
  {
    name: 'latency',
    templateRef: { name: 'latency', namespace: 'istio-system' },
    thresholdRange: { max: 500 },
    interval: '30s',
  },
];

/** istio-mirroring.yaml: blue/green with 100% mirroring, iteration 3 of 10. */
export const mirroringCanary = flaggerCanary(
  'test',
  {
    service: {
      port: 9898,
      gateways: ['istio-system/public-gateway'],
      hosts: ['app.example.com'],
    },
    analysis: {
      interval: '1m',
      threshold: 5,
      iterations: 10,
      mirror: true,
      mirrorWeight: 100,
      metrics: ISTIO_METRICS,
    },
  },
  {
    ...PROGRESSING,
    canaryWeight: 0,
    iterations: 3,
    lastAppliedSpec: '9d7b6c8f5c',
    lastPromotedSpec: '6c8b7d9f5',
  },
);

/** istio-bluegreen-last-iteration.yaml: all iterations done, status.iterations 6 of 5. */
export const blueGreenLastIterationCanary = flaggerCanary(
  'test',
  {
    service: { port: 9898 },
    analysis: {
      interval: '10s',
      threshold: 5,
      iterations: 5,
      metrics: ISTIO_METRICS,
    },
  },
  {
    ...PROGRESSING,
    canaryWeight: 0,
    iterations: 6,
    lastAppliedSpec: '7c9f6d8b5b',
    lastPromotedSpec: '8b5d9c6f7',
  },
);

/** istio-failed-promotion.yaml: the primary missed its deadline; traffic left on the canary. */
export const failedPromotionCanary = flaggerCanary(
  'test',
  {
    service: { port: 9898 },
    analysis: {
      interval: '15s',
      threshold: 15,
      maxWeight: 30,
      stepWeight: 10,
      metrics: ISTIO_METRICS,
    },
  },
  {
    phase: 'Failed',
    canaryWeight: 100,
    failedChecks: 0,
    iterations: 0,
    lastAppliedSpec: '6b8d9f7c5f',
    lastPromotedSpec: '9f6c8b7d5',
    lastTransitionTime: '2026-08-10T10:04:00Z',
  },
);

/** flagger-nginx-canary.yaml: NGINX ingress provider, canary 20%. */
export const nginxCanary = flaggerCanary(
  'test',
  {
    provider: 'nginx',
    ingressRef: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      name: 'podinfo',
    },
    service: { port: 80, targetPort: 9898 },
    analysis: {
      interval: '15s',
      threshold: 15,
      maxWeight: 30,
      stepWeight: 10,
      metrics: [],
    },
  },
  {
    ...PROGRESSING,
    canaryWeight: 20,
    iterations: 0,
    lastAppliedSpec: '7f9b6c8d5d',
    lastPromotedSpec: '9b7d6f8c5',
  },
);

/** flagger-daemonset-canary.yaml: a DaemonSet, provider kubernetes, iteration 2 of 5. */
export const daemonSetCanary: KubeObject = {
  ...flaggerCanary(
    'test',
    {
      provider: 'kubernetes',
      targetRef: {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        name: 'podinfo-ds',
      },
      service: { port: 9898 },
      analysis: { interval: '15s', threshold: 10, iterations: 5, metrics: [] },
    },
    {
      ...PROGRESSING,
      canaryWeight: 0,
      iterations: 2,
      lastAppliedSpec: '9c6f8d7b5f',
      lastPromotedSpec: '7d5c9b8f6',
    },
    'podinfo-ds',
  ),
};

/** flagger-metrictemplate-alertprovider-refs.yaml: templates and providers, two of them missing. */
export const analysisRefsCanary = flaggerCanary(
  'test',
  {
    service: { port: 9898 },
    analysis: {
      interval: '1m',
      threshold: 5,
      maxWeight: 50,
      stepWeight: 10,
      metrics: [
        {
          name: 'request-success-rate',
          thresholdRange: { min: 99 },
          interval: '1m',
        },
        {
          name: '404s percentage',
          templateRef: {
            name: 'not-found-percentage',
            namespace: 'istio-system',
          },
          thresholdRange: { max: 5 },
          interval: '1m',
        },
        {
          name: 'my metric',
          templateRef: { name: 'my-metric', namespace: 'flagger' },
          thresholdRange: { min: 10, max: 1000 },
          interval: '1m',
        },
        {
          name: '404s (canary namespace)',
          templateRef: { name: 'not-found-percentage' },
          thresholdRange: { max: 5 },
          interval: '1m',
        },
      ],
    },
  },
  {
    ...PROGRESSING,
    canaryWeight: 10,
    iterations: 0,
    lastAppliedSpec: '8f6b7d9c5c',
    lastPromotedSpec: '6f8c5d7b9',
  },
);

/** The MetricTemplate queries of the same file, unrendered. */
export const NOT_FOUND_QUERY = `100 - sum(
    rate(
        istio_requests_total{
          reporter="destination",
          destination_workload_namespace="{{ namespace }}",
          destination_workload="{{ target }}",
          response_code!="404"
        }[{{ interval }}]
    )
)
/
sum(
    rate(
        istio_requests_total{
          reporter="destination",
          destination_workload_namespace="{{ namespace }}",
          destination_workload="{{ target }}"
        }[{{ interval }}]
    )
) * 100
`;
