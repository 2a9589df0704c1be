import { Canary, FLAGGER_API_VERSION } from '../../flagger/model';
import { KubeObject } from '../../types';
import { KUBERNETES_ID_LABEL, kubeObject, namespace } from './objects';
import { CanaryProfile } from './profiles';

/** Flagger objects: canaries, the loadtester that answers their gates, metric templates, alerting. */

export interface CanaryOptions {
  namespace: string;
  name: string;
  kubernetesId: string;
  port: number;
  profile: CanaryProfile;
  /** Host on the tenant's public gateway. */
  host?: string;
  confirmPromotion?: boolean;
  rollbackGate?: boolean;
  /** Add the custom error-rate metric (MetricTemplate in istio-system). */
  errorRateTemplate?: boolean;
  /**
   * Route with Flagger's Gateway API provider (`gatewayapi:v1`): an HTTPRoute
   * attached to this Gateway instead of a VirtualService on public-gateway.
   * Its checks are the MetricTemplates (Flagger's built-in checks for this
   * provider read http_requests_total, which an Istio mesh does not export).
   */
  gatewayRef?: { name: string; namespace: string };
  /**
   * Blue/green (`iterations`) or, with `match`, A/B testing instead of the
   * profile's weight steps.
   */
  iterations?: { count: number; match?: unknown[] };
}

type Entry = Record<string, unknown>;

const loadtesterUrl = (ns: string, path = '/') =>
  `http://flagger-loadtester.${ns}${path}`;

/** A Canary in the style of the seed's production/development profiles. */
export function canary(o: CanaryOptions): Canary {
  const idLabels = { [KUBERNETES_ID_LABEL]: o.kubernetesId };
  return {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    metadata: { name: o.name, namespace: o.namespace, labels: idLabels },
    spec: {
      provider: o.gatewayRef ? 'gatewayapi:v1' : 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: o.name },
      progressDeadlineSeconds: 600,
      service: {
        port: o.port,
        targetPort: o.port,
        ...canaryRouting(o),
        apex: { labels: idLabels },
        primary: { labels: idLabels },
        canary: { labels: idLabels },
      },
      analysis: {
        interval: o.profile.interval,
        threshold: o.profile.threshold,
        ...canaryStrategy(o),
        metrics: canaryMetrics(o),
        webhooks: canaryWebhooks(o),
      },
    },
  } as unknown as Canary;
}

/** Where the apex is exposed: Istio gateway and mesh settings, or Gateway API parentRefs. */
function canaryRouting(o: CanaryOptions): Entry {
  if (o.gatewayRef) {
    return {
      gatewayRefs: [{ ...o.gatewayRef }],
      ...(o.host ? { hosts: [o.host] } : {}),
    };
  }
  return {
    ...(o.host
      ? { gateways: ['istio-system/public-gateway'], hosts: [o.host] }
      : {}),
    trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
    retries: {
      attempts: 3,
      perTryTimeout: '1s',
      retryOn: 'gateway-error,connect-failure,refused-stream',
    },
  };
}

/** Weight steps from the profile, or iterations (blue/green, A/B with a match). */
function canaryStrategy(o: CanaryOptions): Entry {
  if (o.iterations) {
    return {
      iterations: o.iterations.count,
      ...(o.iterations.match ? { match: o.iterations.match } : {}),
    };
  }
  return { maxWeight: o.profile.maxWeight, stepWeight: o.profile.stepWeight };
}

function canaryMetrics(o: CanaryOptions): Entry[] {
  const metrics: Entry[] = o.gatewayRef
    ? [
        {
          name: 'latency',
          templateRef: { name: 'latency', namespace: 'istio-system' },
          templateVariables: { reporter: 'destination' },
          thresholdRange: { max: o.profile.maxP99Ms },
          interval: '1m',
        },
      ]
    : [
        {
          name: 'request-success-rate',
          thresholdRange: { min: o.profile.minSuccessRate },
          interval: '1m',
        },
        {
          name: 'request-duration',
          thresholdRange: { max: o.profile.maxP99Ms },
          interval: '1m',
        },
      ];
  if (o.errorRateTemplate || o.gatewayRef) {
    metrics.push({
      name: 'error-rate',
      templateRef: { name: 'error-rate', namespace: 'istio-system' },
      thresholdRange: {
        max: Math.round((100 - o.profile.minSuccessRate) * 100) / 100,
      },
      interval: '1m',
    });
  }
  return metrics;
}

/** Acceptance and load tests, and the gates with the hooks that close them again. */
function canaryWebhooks(o: CanaryOptions): Entry[] {
  const canaryUrl = `http://${o.name}-canary.${o.namespace}:${o.port}`;
  const webhooks: Entry[] = [
    {
      name: 'acceptance-test',
      type: 'pre-rollout',
      url: loadtesterUrl(o.namespace),
      timeout: '30s',
      metadata: { type: 'bash', cmd: `curl -s ${canaryUrl}/readyz` },
    },
    {
      name: 'load-test',
      type: 'rollout',
      url: loadtesterUrl(o.namespace),
      timeout: '5s',
      metadata: { type: 'cmd', cmd: `hey -z 1m -q 10 -c 2 ${canaryUrl}/` },
    },
  ];
  // The loadtester keeps a gate open until closed: close it after each
  // rollout so the next one waits for approval again.
  const gate = (name: string, type: string, path: string) => [
    { name, type, url: loadtesterUrl(o.namespace, `${path}/check`) },
    {
      name: `close-${name}`,
      type: 'post-rollout',
      url: loadtesterUrl(o.namespace, `${path}/close`),
    },
  ];
  if (o.confirmPromotion)
    webhooks.push(...gate('promotion-gate', 'confirm-promotion', '/gate'));
  if (o.rollbackGate)
    webhooks.push(...gate('rollback-gate', 'rollback', '/rollback'));
  return webhooks;
}

/** The flagger-loadtester Deployment and Service, which answer the gates. */
export function loadtester(ns: string): KubeObject[] {
  const labels = { app: 'flagger-loadtester' };
  const meta = { name: 'flagger-loadtester', namespace: ns, labels };
  return [
    kubeObject('apps/v1', 'Deployment', meta, {
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { 'prometheus.io/scrape': 'true' } },
          spec: {
            containers: [
              {
                name: 'loadtester',
                image: 'ghcr.io/fluxcd/flagger-loadtester:0.36.0',
                ports: [{ name: 'http', containerPort: 8080 }],
                command: [
                  './loadtester',
                  '-port=8080',
                  '-log-level=info',
                  '-timeout=1h',
                ],
              },
            ],
          },
        },
      },
    }),
    kubeObject('v1', 'Service', meta, {
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        ],
      },
    }),
  ];
}

/** The MetricTemplates `latency` and `error-rate` in istio-system. */
export function metricTemplates(): KubeObject[] {
  const template = (name: string, query: string[]) =>
    kubeObject(
      FLAGGER_API_VERSION,
      'MetricTemplate',
      { name, namespace: 'istio-system' },
      {
        spec: {
          provider: {
            type: 'prometheus',
            address: 'http://prometheus.istio-system:9090',
          },
          query: [...query, ''].join('\n'),
        },
      },
    );
  return [
    template('latency', [
      'histogram_quantile(',
      '    0.99,',
      '    sum(',
      '        rate(',
      '            istio_request_duration_milliseconds_bucket{',
      '                reporter="{{ variables.reporter }}",',
      '                destination_workload_namespace="{{ namespace }}",',
      '                destination_workload=~"{{ target }}"',
      '            }[{{ interval }}]',
      '        )',
      '    ) by (le)',
      ')',
    ]),
    template('error-rate', [
      '100 - sum(',
      '    rate(',
      '        istio_requests_total{',
      '            reporter="destination",',
      '            destination_workload_namespace="{{ namespace }}",',
      '            destination_workload=~"{{ target }}",',
      '            response_code!~"5.*"',
      '        }[{{ interval }}]',
      '    )',
      ')',
      '/',
      'sum(',
      '    rate(',
      '        istio_requests_total{',
      '            reporter="destination",',
      '            destination_workload_namespace="{{ namespace }}",',
      '            destination_workload=~"{{ target }}"',
      '        }[{{ interval }}]',
      '    )',
      ')',
      '* 100',
    ]),
  ];
}

/** flagger-system: Flagger itself is not simulated as a pod; its alert provider is. */
export function flaggerPlatform(): KubeObject[] {
  return [
    namespace('flagger-system'),
    kubeObject(
      FLAGGER_API_VERSION,
      'AlertProvider',
      { name: 'on-call', namespace: 'flagger-system' },
      {
        spec: {
          type: 'slack',
          channel: 'on-call-alerts',
          username: 'flagger',
          secretRef: { name: 'on-call-url' },
        },
      },
    ),
  ];
}
