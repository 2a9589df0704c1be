import {
  Canary,
  FLAGGER_API_VERSION,
  ISTIO_NETWORKING_VERSION,
} from '../flagger/model';
import { KubeObject } from '../types';

/**
 * Factories for the objects of a tenant platform like the seed platforms:
 * tenant namespaces with quotas and mesh policies, Flux sources and
 * Kustomizations, applications with Flagger canaries. Field names follow the
 * upstream CRDs in ../crds and the examples in the shared reference data.
 */

export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** Pod-template annotations that set a workload's simulated health. */
export const HEALTH_SUCCESS_RATE =
  'simulator.progressive-delivery.io/success-rate';
export const HEALTH_P99_MS = 'simulator.progressive-delivery.io/latency-p99-ms';

/** Rollout profile of a tenant, as in the seed's production/development canaries. */
export interface CanaryProfile {
  interval: string;
  stepWeight: number;
  maxWeight: number;
  threshold: number;
  /** request-success-rate thresholdRange.min, in percent. */
  minSuccessRate: number;
  /** request-duration thresholdRange.max, in milliseconds (p99). */
  maxP99Ms: number;
}

export const PRODUCTION_PROFILE: CanaryProfile = {
  interval: '60s',
  stepWeight: 5,
  maxWeight: 20,
  threshold: 10,
  minSuccessRate: 99.5,
  maxP99Ms: 500,
};

export const DEVELOPMENT_PROFILE: CanaryProfile = {
  interval: '30s',
  stepWeight: 10,
  maxWeight: 50,
  threshold: 5,
  minSuccessRate: 95,
  maxP99Ms: 1000,
};

export interface Health {
  successRate: number;
  p99Ms: number;
}

export function namespace(
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'kubernetes.io/metadata.name': name, ...labels },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** Labels kustomize-controller sets on everything it applies. */
export function kustomizeOwnerLabels(
  name: string,
  ns: string,
): Record<string, string> {
  return {
    'kustomize.toolkit.fluxcd.io/name': name,
    'kustomize.toolkit.fluxcd.io/namespace': ns,
  };
}

/** Everything a tenant namespace carries besides its applications. */
export function tenantBaseline(
  tenant: string,
  gitUrl: string,
  path: string,
): KubeObject[] {
  const tenantLabel = { 'toolkit.fluxcd.io/tenant': tenant };
  return [
    namespace(tenant, { ...tenantLabel, 'istio-injection': 'enabled' }),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: tenant, namespace: tenant, labels: tenantLabel },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: {
        name: 'gotk-reconciler',
        namespace: tenant,
        labels: tenantLabel,
      },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'admin',
      },
      subjects: [
        { kind: 'User', name: `gotk:${tenant}:reconciler` },
        { kind: 'ServiceAccount', name: tenant, namespace: tenant },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {
        name: `${tenant}-quota`,
        namespace: tenant,
        labels: tenantLabel,
      },
      spec: {
        hard: {
          'requests.cpu': '4',
          'requests.memory': '8Gi',
          'limits.cpu': '8',
          'limits.memory': '16Gi',
          pods: '50',
        },
      },
      status: {
        hard: {
          'requests.cpu': '4',
          'requests.memory': '8Gi',
          'limits.cpu': '8',
          'limits.memory': '16Gi',
          pods: '50',
        },
        used: {
          'requests.cpu': '1200m',
          'requests.memory': '1536Mi',
          'limits.cpu': '2400m',
          'limits.memory': '3Gi',
          pods: '12',
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: {
        name: `${tenant}-limits`,
        namespace: tenant,
        labels: tenantLabel,
      },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '500m', memory: '512Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi' },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'default-deny-ingress-except-mesh',
        namespace: tenant,
        labels: tenantLabel,
      },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': tenant },
                },
              },
              {
                namespaceSelector: {
                  matchLabels: {
                    'kubernetes.io/metadata.name': 'istio-system',
                  },
                },
              },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: tenant, labels: tenantLabel },
      spec: { mtls: { mode: 'STRICT' } },
    },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: {
        name: 'allow-same-namespace-and-gateway',
        namespace: tenant,
        labels: tenantLabel,
      },
      spec: {
        action: 'ALLOW',
        rules: [
          { from: [{ source: { namespaces: [tenant, 'istio-system'] } }] },
        ],
      },
    },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: {
        name: 'allow-prometheus-scrape',
        namespace: tenant,
        labels: tenantLabel,
      },
      spec: {
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { namespaces: ['monitoring'] } }],
            to: [
              {
                operation: {
                  methods: ['GET'],
                  paths: ['/metrics', '/stats/prometheus'],
                },
              },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: tenant, labels: tenantLabel },
      spec: {
        egress: [{ hosts: ['./*', 'istio-system/*'] }],
        outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      },
    },
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: tenant, namespace: tenant, labels: tenantLabel },
      spec: { interval: '1m', url: gitUrl, ref: { branch: 'main' } },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: tenant, namespace: tenant, labels: tenantLabel },
      spec: {
        serviceAccountName: tenant,
        interval: '5m',
        timeout: '5m',
        retryInterval: '1m',
        sourceRef: { kind: 'GitRepository', name: tenant },
        path,
        prune: true,
        wait: false,
      },
    },
    {
      apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
      kind: 'Provider',
      metadata: {
        name: `${tenant}-slack`,
        namespace: tenant,
        labels: tenantLabel,
      },
      spec: {
        type: 'slack',
        channel: `${tenant}-deploys`,
        secretRef: { name: `${tenant}-slack-webhook` },
      },
    },
    {
      apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
      kind: 'Alert',
      metadata: { name: tenant, namespace: tenant, labels: tenantLabel },
      spec: {
        providerRef: { name: `${tenant}-slack` },
        eventSeverity: 'info',
        eventSources: [
          { kind: 'GitRepository', name: '*' },
          { kind: 'Kustomization', name: '*' },
          { kind: 'HelmRelease', name: '*' },
        ],
        eventMetadata: { tenant },
      },
    },
  ];
}

/** The flagger-loadtester Deployment and Service, which answer the gates. */
export function loadtester(ns: string): KubeObject[] {
  const labels = { app: 'flagger-loadtester' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'flagger-loadtester', namespace: ns, labels },
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
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'flagger-loadtester', namespace: ns, labels },
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        ],
      },
    },
  ];
}

export interface AppOptions {
  namespace: string;
  name: string;
  kubernetesId: string;
  image: string;
  tag: string;
  port: number;
  /** Replicas of the primary (as an autoscaler keeps them); manifests leave replicas unset. */
  replicas?: number;
  health: Health;
  /** Data of a `<name>-config` ConfigMap the pods read through envFrom (tracked by Flagger). */
  config?: Record<string, string>;
}

export function appConfigMap(o: AppOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${o.name}-config`,
      namespace: o.namespace,
      labels: { app: o.name, [KUBERNETES_ID_LABEL]: o.kubernetesId },
    },
    data: o.config ?? {},
  };
}

/** The application Deployment a Canary targets. */
export function appDeployment(o: AppOptions): KubeObject {
  const labels = {
    app: o.name,
    [KUBERNETES_ID_LABEL]: o.kubernetesId,
    'app.kubernetes.io/name': o.name,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: { ...labels, 'app.kubernetes.io/version': o.tag },
    },
    // No replicas: Flagger scales the target, and Flux must not revert it.
    spec: {
      selector: { matchLabels: { app: o.name } },
      template: {
        metadata: {
          labels,
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(o.port),
            [HEALTH_SUCCESS_RATE]: String(o.health.successRate),
            [HEALTH_P99_MS]: String(o.health.p99Ms),
          },
        },
        spec: {
          containers: [
            {
              name: o.name,
              image: `${o.image}:${o.tag}`,
              ports: [{ name: 'http', containerPort: o.port, protocol: 'TCP' }],
              ...(o.config
                ? { envFrom: [{ configMapRef: { name: `${o.name}-config` } }] }
                : {}),
              readinessProbe: { httpGet: { path: '/readyz', port: o.port } },
              resources: {
                requests: { cpu: '100m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
            },
          ],
        },
      },
    },
  };
}

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
}

const loadtesterUrl = (ns: string, path = '/') =>
  `http://flagger-loadtester.${ns}${path}`;

/** A Canary in the style of the seed's production/development profiles. */
export function canary(o: CanaryOptions): Canary {
  const idLabels = { [KUBERNETES_ID_LABEL]: o.kubernetesId };
  const webhooks: Array<Record<string, unknown>> = [
    {
      name: 'acceptance-test',
      type: 'pre-rollout',
      url: loadtesterUrl(o.namespace),
      timeout: '30s',
      metadata: {
        type: 'bash',
        cmd: `curl -s http://${o.name}-canary.${o.namespace}:${o.port}/readyz`,
      },
    },
    {
      name: 'load-test',
      type: 'rollout',
      url: loadtesterUrl(o.namespace),
      timeout: '5s',
      metadata: {
        type: 'cmd',
        cmd: `hey -z 1m -q 10 -c 2 http://${o.name}-canary.${o.namespace}:${o.port}/`,
      },
    },
  ];
  if (o.confirmPromotion) {
    webhooks.push({
      name: 'promotion-gate',
      type: 'confirm-promotion',
      url: loadtesterUrl(o.namespace, '/gate/check'),
    });
    // The loadtester keeps a gate open until closed: close it after each
    // rollout so the next one waits for approval again.
    webhooks.push({
      name: 'close-promotion-gate',
      type: 'post-rollout',
      url: loadtesterUrl(o.namespace, '/gate/close'),
    });
  }
  if (o.rollbackGate) {
    webhooks.push({
      name: 'rollback-gate',
      type: 'rollback',
      url: loadtesterUrl(o.namespace, '/rollback/check'),
    });
    webhooks.push({
      name: 'close-rollback-gate',
      type: 'post-rollout',
      url: loadtesterUrl(o.namespace, '/rollback/close'),
    });
  }
  const metrics: Array<Record<string, unknown>> = [
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
  if (o.errorRateTemplate) {
    metrics.push({
      name: 'error-rate',
      templateRef: { name: 'error-rate', namespace: 'istio-system' },
      thresholdRange: {
        max: Math.round((100 - o.profile.minSuccessRate) * 100) / 100,
      },
      interval: '1m',
    });
  }
  return {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    metadata: { name: o.name, namespace: o.namespace, labels: idLabels },
    spec: {
      provider: 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: o.name },
      progressDeadlineSeconds: 600,
      service: {
        port: o.port,
        targetPort: o.port,
        ...(o.host
          ? { gateways: ['istio-system/public-gateway'], hosts: [o.host] }
          : {}),
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        retries: {
          attempts: 3,
          perTryTimeout: '1s',
          retryOn: 'gateway-error,connect-failure,refused-stream',
        },
        apex: { labels: idLabels },
        primary: { labels: idLabels },
        canary: { labels: idLabels },
      },
      analysis: {
        interval: o.profile.interval,
        threshold: o.profile.threshold,
        maxWeight: o.profile.maxWeight,
        stepWeight: o.profile.stepWeight,
        metrics,
        webhooks,
      },
    },
  } as unknown as Canary;
}

export function horizontalPodAutoscaler(
  ns: string,
  name: string,
  kubernetesId: string,
): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name,
      namespace: ns,
      labels: { app: name, [KUBERNETES_ID_LABEL]: kubernetesId },
    },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `${name}-primary`,
      },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 75 },
          },
        },
      ],
    },
    status: { currentReplicas: 2, desiredReplicas: 2 },
  };
}

/** Platform objects in istio-system: the public gateway and metric templates. */
export function istioPlatform(domain: string): KubeObject[] {
  return [
    namespace('istio-system'),
    {
      apiVersion: ISTIO_NETWORKING_VERSION,
      kind: 'Gateway',
      metadata: { name: 'public-gateway', namespace: 'istio-system' },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: [`*.${domain}`],
            tls: { mode: 'SIMPLE', credentialName: 'public-gateway-cert' },
          },
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: [`*.${domain}`],
            tls: { httpsRedirect: true },
          },
        ],
      },
    },
    {
      apiVersion: FLAGGER_API_VERSION,
      kind: 'MetricTemplate',
      metadata: { name: 'latency', namespace: 'istio-system' },
      spec: {
        provider: {
          type: 'prometheus',
          address: 'http://prometheus.istio-system:9090',
        },
        query: [
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
          '',
        ].join('\n'),
      },
    },
    {
      apiVersion: FLAGGER_API_VERSION,
      kind: 'MetricTemplate',
      metadata: { name: 'error-rate', namespace: 'istio-system' },
      spec: {
        provider: {
          type: 'prometheus',
          address: 'http://prometheus.istio-system:9090',
        },
        query: [
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
          '',
        ].join('\n'),
      },
    },
  ];
}

/** flagger-system: Flagger itself is not simulated as a pod; its alert provider is. */
export function flaggerPlatform(): KubeObject[] {
  return [
    namespace('flagger-system'),
    {
      apiVersion: FLAGGER_API_VERSION,
      kind: 'AlertProvider',
      metadata: { name: 'on-call', namespace: 'flagger-system' },
      spec: {
        type: 'slack',
        channel: 'on-call-alerts',
        username: 'flagger',
        secretRef: { name: 'on-call-url' },
      },
    },
  ];
}

export function gitRepository(
  ns: string,
  name: string,
  url: string,
  branch = 'main',
  interval = '1m',
): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace: ns },
    spec: { interval, url, ref: { branch } },
  };
}

export function ociRepository(
  ns: string,
  name: string,
  url: string,
  tag: string,
): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: { name, namespace: ns },
    spec: { interval: '5m', url, ref: { tag } },
  };
}

export function helmRepository(
  ns: string,
  name: string,
  url: string,
): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name, namespace: ns },
    spec: { interval: '10m', url },
  };
}

export function helmRelease(
  ns: string,
  name: string,
  chart: string,
  version: string,
  repo: { name: string; namespace: string },
  values: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace: ns },
    spec: {
      interval: '10m',
      releaseName: name,
      chart: {
        spec: {
          chart,
          version,
          sourceRef: {
            kind: 'HelmRepository',
            name: repo.name,
            namespace: repo.namespace,
          },
          interval: '10m',
        },
      },
      install: { remediation: { retries: 3 } },
      upgrade: { remediation: { retries: 3 } },
      test: { enable: true },
      values,
    },
  };
}

export function kustomization(
  ns: string,
  name: string,
  source: { kind: string; name: string; namespace?: string },
  path: string,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: ns },
    spec: {
      interval: '10m',
      timeout: '2m',
      retryInterval: '1m',
      sourceRef: source,
      path,
      prune: true,
      ...extra,
    },
  };
}
