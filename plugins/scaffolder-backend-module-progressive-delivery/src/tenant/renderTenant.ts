import { posix } from 'node:path';
import {
  KUBERNETES_ANNOTATIONS,
  PROGRESSIVE_DELIVERY_ANNOTATIONS,
} from '@internal/plugin-progressive-delivery-common';
import { JsonObject } from '@backstage/types';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';
import { CANARY_PROFILES } from './canaryProfiles';
import { TenantRequest } from './tenantRequest';

/** Label `flux create tenant` puts on a tenant's objects (fluxcd/flux2 cmd/flux/create_tenant.go). */
export const TENANT_LABEL = 'toolkit.fluxcd.io/tenant';

/**
 * PromQL over Istio's standard metrics, in Flagger's MetricTemplate variables; the same series
 * Flagger's built-in `request-success-rate` and `request-duration` checks read
 * (fluxcd/flagger pkg/metrics/observers/istio.go).
 */
const istioSelector = `reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}"`;
const istioQueries = {
  successRate: `sum(rate(istio_requests_total{${istioSelector}, response_code!~"5.*"}[{{ interval }}]))
/
sum(rate(istio_requests_total{${istioSelector}}[{{ interval }}]))
* 100
`,
  latencyP99: `histogram_quantile(0.99,
  sum(rate(istio_request_duration_milliseconds_bucket{${istioSelector}}[{{ interval }}])) by (le)
)
`,
  errorRate: `sum(rate(istio_requests_total{${istioSelector}, response_code=~"5.*"}[{{ interval }}]))
/
sum(rate(istio_requests_total{${istioSelector}}[{{ interval }}]))
* 100
`,
};

/**
 * What a generated file holds: Kubernetes objects applied to clusters, a kustomize build file, or a
 * Backstage catalog entity. Only the first kind goes through schema validation.
 */
export type GeneratedFileKind = 'kubernetes' | 'kustomize' | 'catalog';

export interface GeneratedFile {
  /** Path inside the GitOps repository. */
  path: string;
  kind: GeneratedFileKind;
  documents: JsonObject[];
}

/** Paths of a tenant inside the GitOps repository. */
export function tenantPaths(
  settings: TenantTemplateSettings,
  tenantName: string,
) {
  const dir = posix.join(settings.layout.basePath, tenantName);
  return {
    dir,
    appsDir: posix.join(dir, 'apps'),
    catalogInfo: posix.join(dir, 'catalog-info.yaml'),
    overlay: (cluster: string) =>
      posix.join(settings.layout.overlaysPath, cluster, 'kustomization.yaml'),
    /** The entry an overlay's `resources` gets: the tenant's directory relative to the overlay. */
    overlayEntry: (cluster: string) =>
      posix.relative(posix.join(settings.layout.overlaysPath, cluster), dir),
  };
}

/**
 * Renders every file of a new tenant: namespace, quotas, network and mesh policies, RBAC, Flux sync
 * and alerts, Flagger metric templates and (for a first application) its Canary, and the catalog
 * entity. Pure: the same request and settings always give the same files.
 */
export function renderTenant(
  request: TenantRequest,
  settings: TenantTemplateSettings,
): GeneratedFile[] {
  const ns = request.tenantName;
  const { mesh, layout } = settings;
  const paths = tenantPaths(settings, ns);
  const labels = { [TENANT_LABEL]: ns };
  const meta = (name: string, namespace = ns) => ({
    name,
    namespace,
    labels,
  });
  const app = request.application;
  const profile = CANARY_PROFILES[request.profile];
  const { quota } = request;
  const meshNamespaces = [
    ...new Set([
      'istio-system',
      mesh.gateway.namespace,
      mesh.ingressGatewayServiceAccount.namespace,
    ]),
  ];
  const file = (
    name: string,
    documents: JsonObject[],
    kind: GeneratedFileKind = 'kubernetes',
    dir = paths.dir,
  ): GeneratedFile => ({ path: posix.join(dir, name), kind, documents });
  const namespaceSelector = (name: string) => ({
    namespaceSelector: {
      matchLabels: { 'kubernetes.io/metadata.name': name },
    },
  });

  const namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: { ...labels, 'istio-injection': 'enabled' },
    },
  };

  const resourceQuota = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('tenant-quota'),
    spec: {
      hard: {
        'requests.cpu': String(quota.cpu),
        'limits.cpu': String(quota.cpu),
        'requests.memory': `${quota.memoryGi}Gi`,
        'limits.memory': `${quota.memoryGi}Gi`,
        pods: String(quota.pods),
        persistentvolumeclaims: String(quota.persistentVolumeClaims),
        services: String(quota.services),
      },
    },
  };

  // Defaults keep pods without resources schedulable under the quota; max stops one container
  // from taking the whole quota.
  const limitRange = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('tenant-limits'),
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          default: { cpu: '500m', memory: '512Mi' },
          max: { cpu: String(quota.cpu), memory: `${quota.memoryGi}Gi` },
        },
      ],
    },
  };

  const networkPolicy = (name: string, spec: JsonObject) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec: { podSelector: {}, ...spec },
  });
  const networkPolicies = [
    networkPolicy('default-deny', { policyTypes: ['Ingress', 'Egress'] }),
    networkPolicy('allow-same-namespace', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    // Sidecars reach istiod and the gateways reach the pods: both directions to the mesh.
    networkPolicy('allow-istio-system', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: meshNamespaces.map(namespaceSelector) }],
      egress: [{ to: meshNamespaces.map(namespaceSelector) }],
    }),
    networkPolicy('allow-metrics-scraping', {
      policyTypes: ['Ingress'],
      ingress: [
        { from: request.network.metricsNamespaces.map(namespaceSelector) },
      ],
    }),
    networkPolicy('allow-dns-egress', {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ...namespaceSelector('kube-system'),
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    ...(request.network.allowEgress
      ? [
          networkPolicy('allow-egress-http', {
            policyTypes: ['Egress'],
            egress: [
              {
                ports: [
                  { protocol: 'TCP', port: 80 },
                  { protocol: 'TCP', port: 443 },
                ],
              },
            ],
          }),
        ]
      : []),
  ];

  const serviceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(ns),
  };
  // As `flux create tenant`: the reconciler may manage anything inside its namespace, nothing outside.
  const reconcilerBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('gotk-reconciler'),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: `gotk:${ns}:reconciler`,
      },
      { kind: 'ServiceAccount', name: ns, namespace: ns },
    ],
  };
  const ownerBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(`${request.ownerGroup}-edit`),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'edit',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: request.ownerGroup,
      },
    ],
  };
  // Flux runs health checks as the tenant's service account, which must be able to read the gateway.
  const gatewayReader = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(`${ns}-gateway-health`, mesh.gateway.namespace),
    rules: [
      {
        apiGroups: ['networking.istio.io'],
        resources: ['gateways'],
        resourceNames: [mesh.gateway.name],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  };
  const gatewayReaderBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(`${ns}-gateway-health`, mesh.gateway.namespace),
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: `${ns}-gateway-health`,
    },
    subjects: [{ kind: 'ServiceAccount', name: ns, namespace: ns }],
  };

  const peerAuthentication = {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: meta('default'),
    spec: { mtls: { mode: 'STRICT' } },
  };
  const gatewayPrincipal = `cluster.local/ns/${mesh.ingressGatewayServiceAccount.namespace}/sa/${mesh.ingressGatewayServiceAccount.name}`;
  const authorizationPolicy = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: meta('allow-gateway-and-namespace'),
    spec: {
      action: 'ALLOW',
      rules: [
        { from: [{ source: { principals: [gatewayPrincipal] } }] },
        {
          from: [
            {
              source: {
                // The loadtester sends the canary's test traffic from its own namespace.
                namespaces: app ? [ns, mesh.loadtesterNamespace] : [ns],
              },
            },
          ],
        },
      ],
    },
  };
  const sidecar = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: meta('default'),
    spec: {
      egress: [
        {
          hosts: ['./*', ...meshNamespaces.map(n => `${n}/*`)],
        },
      ],
      outboundTrafficPolicy: {
        mode: request.network.allowEgress ? 'ALLOW_ANY' : 'REGISTRY_ONLY',
      },
    },
  };

  const gitRepository = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: meta(ns),
    spec: {
      interval: '1m',
      url: cloneUrl(layout.repoUrl),
      ref: { branch: layout.branch },
    },
  };
  const healthChecks = app
    ? [
        // Flagger scales the app's own Deployment to zero and serves from `<app>-primary`.
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: `${app.name}-primary`,
          namespace: ns,
        },
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          name: app.name,
          namespace: ns,
        },
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'Gateway',
          name: mesh.gateway.name,
          namespace: mesh.gateway.namespace,
        },
      ]
    : [
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'Gateway',
          name: mesh.gateway.name,
          namespace: mesh.gateway.namespace,
        },
      ];
  const kustomization = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: meta(`${ns}-apps`),
    spec: {
      serviceAccountName: ns,
      interval: '5m',
      timeout: '10m',
      retryInterval: '1m',
      prune: true,
      wait: false,
      sourceRef: { kind: 'GitRepository', name: ns },
      path: `./${paths.appsDir}`,
      targetNamespace: ns,
      // Lets the catalog's label selector find everything the tenant deploys.
      commonMetadata: { labels },
      healthChecks,
    },
  };

  const provider = {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Provider',
    metadata: meta('slack'),
    spec: {
      type: 'slack',
      channel: request.slackChannel,
      // The webhook URL stays in a Secret (key `address`) the platform provides; never in Git.
      secretRef: { name: 'slack-webhook' },
    },
  };
  const alert = {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Alert',
    metadata: meta('flux-errors'),
    spec: {
      providerRef: { name: 'slack' },
      eventSeverity: 'error',
      eventSources: [
        { kind: 'Kustomization', name: '*' },
        { kind: 'GitRepository', name: '*' },
      ],
      eventMetadata: { tenant: ns },
    },
  };

  const metricTemplate = (name: string, query: string) => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: meta(name),
    spec: {
      provider: { type: 'prometheus', address: mesh.prometheusUrl },
      query,
    },
  });
  const metricTemplates = [
    metricTemplate('istio-success-rate', istioQueries.successRate),
    metricTemplate('istio-latency-p99', istioQueries.latencyP99),
    metricTemplate('istio-error-rate', istioQueries.errorRate),
  ];

  const files: GeneratedFile[] = [
    file('namespace.yaml', [namespace]),
    file('quota.yaml', [resourceQuota, limitRange]),
    file('network-policies.yaml', networkPolicies),
    file('rbac.yaml', [
      serviceAccount,
      reconcilerBinding,
      ownerBinding,
      gatewayReader,
      gatewayReaderBinding,
    ]),
    file('istio.yaml', [peerAuthentication, authorizationPolicy, sidecar]),
    file('flux-sync.yaml', [gitRepository, kustomization]),
    file('flux-alerts.yaml', [provider, alert]),
    file('metric-templates.yaml', metricTemplates),
  ];
  files.push(
    file(
      'kustomization.yaml',
      [
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: files.map(f => posix.basename(f.path)),
        },
      ],
      'kustomize',
    ),
  );

  const appFiles: string[] = [];
  if (app) {
    const canary = renderCanary(request, settings);
    files.push(
      file(`${app.name}-canary.yaml`, [canary], 'kubernetes', paths.appsDir),
    );
    appFiles.push(`${app.name}-canary.yaml`);
  }
  files.push(
    file(
      'kustomization.yaml',
      [
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: appFiles,
        },
      ],
      'kustomize',
      paths.appsDir,
    ),
  );

  files.push(
    file(
      'catalog-info.yaml',
      [renderCatalogEntity(request, profile.confirmPromotion)],
      'catalog',
    ),
  );
  return files;
}

function renderCanary(
  request: TenantRequest,
  settings: TenantTemplateSettings,
): JsonObject {
  const app = request.application!;
  const ns = request.tenantName;
  const { mesh } = settings;
  const profile = CANARY_PROFILES[request.profile];
  const loadtester = `http://flagger-loadtester.${mesh.loadtesterNamespace}`;
  const canaryUrl = `http://${app.name}-canary.${ns}:${app.port}/`;
  const gateway = `${mesh.gateway.namespace}/${mesh.gateway.name}`;
  const webhooks: JsonObject[] = [];
  if (profile.preRolloutLoadTest) {
    webhooks.push({
      name: 'load-test-before-rollout',
      type: 'pre-rollout',
      url: `${loadtester}/`,
      timeout: '60s',
      metadata: { type: 'cmd', cmd: `hey -z 30s -q 10 -c 2 ${canaryUrl}` },
    });
  }
  if (profile.confirmPromotion) {
    webhooks.push({
      name: 'confirm-promotion',
      type: 'confirm-promotion',
      url: `${loadtester}/gate/check`,
    });
  }
  // Traffic during the analysis, so that the metric checks have requests to measure.
  webhooks.push({
    name: 'load-test',
    type: 'rollout',
    url: `${loadtester}/`,
    timeout: '15s',
    metadata: { cmd: `hey -z 1m -q 10 -c 2 ${canaryUrl}` },
  });
  const templateRef = (name: string) => ({ name, namespace: ns });
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: {
      name: app.name,
      namespace: ns,
      labels: { [TENANT_LABEL]: ns },
    },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
      progressDeadlineSeconds: 600,
      service: {
        port: app.port,
        targetPort: app.port,
        gateways: [gateway, 'mesh'],
        ...(mesh.appDomain
          ? { hosts: [`${app.name}.${ns}.${mesh.appDomain}`] }
          : {}),
      },
      analysis: {
        interval: profile.interval,
        threshold: profile.threshold,
        maxWeight: profile.maxWeight,
        stepWeight: profile.stepWeight,
        metrics: [
          {
            name: 'success-rate',
            templateRef: templateRef('istio-success-rate'),
            thresholdRange: { min: profile.minSuccessRate },
            interval: '1m',
          },
          {
            name: 'latency-p99',
            templateRef: templateRef('istio-latency-p99'),
            thresholdRange: { max: profile.maxLatencyP99Ms },
            interval: '1m',
          },
          {
            name: 'error-rate',
            templateRef: templateRef('istio-error-rate'),
            thresholdRange: { max: profile.maxErrorRate },
            interval: '1m',
          },
        ],
        webhooks,
      },
    },
  };
}

function renderCatalogEntity(
  request: TenantRequest,
  gated: boolean,
): JsonObject {
  const ns = request.tenantName;
  const annotations: Record<string, string> = {
    [KUBERNETES_ANNOTATIONS.namespace]: ns,
    [KUBERNETES_ANNOTATIONS.labelSelector]: `${TENANT_LABEL}=${ns}`,
    [PROGRESSIVE_DELIVERY_ANNOTATIONS.tenant]: ns,
  };
  if (request.application) {
    annotations[
      PROGRESSIVE_DELIVERY_ANNOTATIONS.canary
    ] = `${ns}/${request.application.name}`;
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: ns,
      title: `Tenant ${ns}`,
      description: `Kubernetes namespace of tenant ${ns} on ${request.clusters.join(
        ', ',
      )}; ${request.profile} canary profile${
        gated ? ' with a promotion gate' : ''
      }.`,
      annotations,
      tags: ['tenant', request.profile],
    },
    spec: {
      type: 'kubernetes-namespace',
      owner: request.owner,
    },
  };
}

/** The https clone URL Flux fetches, from `host?owner=o&repo=r`. */
export function cloneUrl(repoUrl: string): string {
  const url = new URL(`https://${repoUrl}`);
  const owner = url.searchParams.get('owner');
  const repo = url.searchParams.get('repo');
  return `https://${url.host}/${owner}/${repo}.git`;
}
