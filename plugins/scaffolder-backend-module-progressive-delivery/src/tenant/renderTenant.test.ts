import path from 'node:path';
import { JsonObject } from '@backstage/types';
import { parse } from 'yaml';
import { productionTenantInput, testSettings } from '../__testUtils__/settings';
import { ManifestValidator } from '../validation/ManifestValidator';
import { GeneratedFile } from './GeneratedFile';
import { renderTenant } from './renderTenant';
import { serializeFile } from './serialize';
import { parseTenantRequest } from './tenantRequest';

const render = (input: object) =>
  renderTenant(parseTenantRequest(input, testSettings), testSettings);

const find = (files: GeneratedFile[], kind: string, name?: string) => {
  const found = files
    .flatMap(f => f.documents)
    .find(
      d =>
        d.kind === kind &&
        (name === undefined || (d.metadata as JsonObject)?.name === name),
    );
  if (!found) {
    throw new Error(`no ${kind} ${name ?? ''}`);
  }
  return found as any;
};

describe('renderTenant', () => {
  let validator: ManifestValidator;
  beforeAll(async () => {
    validator = await ManifestValidator.fromCrdDirectory(
      path.resolve(__dirname, '../../crds'),
    );
  });

  const development = {
    ...productionTenantInput,
    tenantName: 'search-dev',
    clusters: ['dev-eu-1'],
    profile: 'development',
    network: {
      metricsNamespaces: ['monitoring', 'shared-services'],
      allowEgress: false,
    },
    quota: {
      tier: 'custom',
      cpu: 64,
      memoryGi: 256,
      pods: 500,
      persistentVolumeClaims: 0,
      services: 100,
    },
  };

  it.each([
    ['a production tenant with an application', productionTenantInput],
    ['a development tenant with a custom quota and no egress', development],
    [
      'a tenant without an application',
      { ...productionTenantInput, application: undefined },
    ],
  ])('renders %s whose every object validates', (_case, input) => {
    const files = render(input);
    const objects = files
      .filter(f => f.kind === 'kubernetes')
      .flatMap(f => f.documents);
    expect(objects.length).toBeGreaterThan(15);
    for (const object of objects) {
      expect(validator.validate(object)).toEqual([]);
    }
  });

  it('lays the files out under the base directory, apps apart', () => {
    expect(render(productionTenantInput).map(f => f.path)).toEqual([
      'kubernetes/apps/base/payments/namespace.yaml',
      'kubernetes/apps/base/payments/quota.yaml',
      'kubernetes/apps/base/payments/network-policies.yaml',
      'kubernetes/apps/base/payments/rbac.yaml',
      'kubernetes/apps/base/payments/istio.yaml',
      'kubernetes/apps/base/payments/flux-sync.yaml',
      'kubernetes/apps/base/payments/flux-alerts.yaml',
      'kubernetes/apps/base/payments/metric-templates.yaml',
      'kubernetes/apps/base/payments/kustomization.yaml',
      'kubernetes/apps/base/payments/apps/checkout-canary.yaml',
      'kubernetes/apps/base/payments/apps/kustomization.yaml',
      'kubernetes/apps/base/payments/catalog-info.yaml',
    ]);
    const build = render(productionTenantInput).find(
      f => f.path === 'kubernetes/apps/base/payments/kustomization.yaml',
    );
    expect(build?.kind).toBe('kustomize');
    expect(build?.documents[0]).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [
        'namespace.yaml',
        'quota.yaml',
        'network-policies.yaml',
        'rbac.yaml',
        'istio.yaml',
        'flux-sync.yaml',
        'flux-alerts.yaml',
        'metric-templates.yaml',
      ],
    });
  });

  it('labels the namespace for Istio injection and the tenant', () => {
    expect(find(render(productionTenantInput), 'Namespace').metadata).toEqual({
      name: 'payments',
      labels: {
        'toolkit.fluxcd.io/tenant': 'payments',
        'istio-injection': 'enabled',
      },
    });
  });

  it('sets the default quota', () => {
    expect(
      find(render(productionTenantInput), 'ResourceQuota').spec.hard,
    ).toEqual({
      'requests.cpu': '4',
      'limits.cpu': '4',
      'requests.memory': '8Gi',
      'limits.memory': '8Gi',
      pods: '20',
      persistentvolumeclaims: '5',
      services: '10',
    });
  });

  it('denies by default and opens only what the tenant needs', () => {
    const files = render(productionTenantInput);
    const policies = files
      .flatMap(f => f.documents)
      .filter(d => d.kind === 'NetworkPolicy')
      .map(d => (d.metadata as JsonObject).name);
    expect(policies).toEqual([
      'default-deny',
      'allow-same-namespace',
      'allow-istio-system',
      'allow-metrics-scraping',
      'allow-dns-egress',
      'allow-egress-http',
    ]);
    expect(
      find(files, 'NetworkPolicy', 'allow-metrics-scraping').spec.ingress,
    ).toEqual([
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
            },
          },
        ],
      },
    ]);
    const closed = render(development);
    expect(
      closed
        .flatMap(f => f.documents)
        .some(d => (d.metadata as JsonObject)?.name === 'allow-egress-http'),
    ).toBe(false);
    expect(find(closed, 'Sidecar').spec.outboundTrafficPolicy).toEqual({
      mode: 'REGISTRY_ONLY',
    });
  });

  it('enforces strict mTLS and admits the ingress gateway and the namespace', () => {
    const files = render(productionTenantInput);
    expect(find(files, 'PeerAuthentication').spec).toEqual({
      mtls: { mode: 'STRICT' },
    });
    expect(find(files, 'AuthorizationPolicy').spec.rules).toEqual([
      {
        from: [
          {
            source: {
              principals: [
                'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
              ],
            },
          },
        ],
      },
      { from: [{ source: { namespaces: ['payments', 'flagger-system'] } }] },
    ]);
  });

  it("binds the tenant's reconciler and the owning team", () => {
    const files = render(productionTenantInput);
    expect(find(files, 'RoleBinding', 'gotk-reconciler').subjects).toEqual([
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: 'gotk:payments:reconciler',
      },
      { kind: 'ServiceAccount', name: 'payments', namespace: 'payments' },
    ]);
    expect(find(files, 'RoleBinding', 'team-payments-edit')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'team-payments' }],
    });
  });

  it("syncs the tenant's apps with health checks for the app, its VirtualService and the gateway", () => {
    const files = render(productionTenantInput);
    expect(find(files, 'Kustomization', 'payments-apps').spec).toEqual({
      serviceAccountName: 'payments',
      interval: '5m',
      timeout: '10m',
      retryInterval: '1m',
      prune: true,
      wait: false,
      sourceRef: { kind: 'GitRepository', name: 'payments' },
      path: './kubernetes/apps/base/payments/apps',
      targetNamespace: 'payments',
      commonMetadata: { labels: { 'toolkit.fluxcd.io/tenant': 'payments' } },
      healthChecks: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'checkout-primary',
          namespace: 'payments',
        },
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          name: 'checkout',
          namespace: 'payments',
        },
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'Gateway',
          name: 'public-gateway',
          namespace: 'istio-system',
        },
      ],
    });
    expect(find(files, 'GitRepository').spec).toEqual({
      interval: '1m',
      url: 'https://github.com/acme/gitops.git',
      ref: { branch: 'main' },
    });
  });

  it('sends Flux errors to Slack with the webhook from a Secret', () => {
    const files = render(productionTenantInput);
    expect(find(files, 'Provider').spec).toEqual({
      type: 'slack',
      channel: 'payments-alerts',
      secretRef: { name: 'slack-webhook' },
    });
    expect(find(files, 'Alert').spec).toMatchObject({
      providerRef: { name: 'slack' },
      eventSeverity: 'error',
    });
    const text = files.map(serializeFile).join('\n');
    expect(text).not.toMatch(/hooks\.slack\.com/);
  });

  it("applies the production profile's analysis, load test and promotion gate", () => {
    const canary = find(render(productionTenantInput), 'Canary');
    expect(canary.spec.analysis).toMatchObject({
      interval: '60s',
      stepWeight: 5,
      maxWeight: 20,
      threshold: 10,
    });
    expect(
      canary.spec.analysis.metrics.map((m: any) => [
        m.templateRef.name,
        m.thresholdRange,
      ]),
    ).toEqual([
      ['istio-success-rate', { min: 99.5 }],
      ['istio-latency-p99', { max: 500 }],
      ['istio-error-rate', { max: 0.5 }],
    ]);
    expect(
      canary.spec.analysis.webhooks.map((w: any) => [w.type, w.url]),
    ).toEqual([
      ['pre-rollout', 'http://flagger-loadtester.flagger-system/'],
      [
        'confirm-promotion',
        'http://flagger-loadtester.flagger-system/gate/check',
      ],
      ['rollout', 'http://flagger-loadtester.flagger-system/'],
    ]);
    expect(canary.spec.service).toEqual({
      port: 8080,
      targetPort: 8080,
      gateways: ['istio-system/public-gateway', 'mesh'],
      hosts: ['checkout.payments.apps.example.com'],
    });
  });

  it("applies the development profile's analysis without gates", () => {
    const canary = find(render(development), 'Canary');
    expect(canary.spec.analysis).toMatchObject({
      interval: '30s',
      stepWeight: 10,
      maxWeight: 50,
      threshold: 5,
    });
    expect(
      canary.spec.analysis.metrics.map((m: any) => m.thresholdRange),
    ).toEqual([{ min: 95 }, { max: 1000 }, { max: 5 }]);
    expect(canary.spec.analysis.webhooks.map((w: any) => w.type)).toEqual([
      'rollout',
    ]);
  });

  it('defines the Istio metric templates the canary uses', () => {
    const files = render(productionTenantInput);
    const templates = files
      .flatMap(f => f.documents)
      .filter(d => d.kind === 'MetricTemplate') as any[];
    expect(templates.map(t => t.metadata.name)).toEqual([
      'istio-success-rate',
      'istio-latency-p99',
      'istio-error-rate',
    ]);
    expect(templates[1].spec.query).toContain(
      'histogram_quantile(0.99,\n  sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}"}[{{ interval }}])) by (le)',
    );
  });

  it('describes the tenant namespace as a catalog Resource the Delivery tab resolves', () => {
    expect(find(render(productionTenantInput), 'Resource')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'payments',
        title: 'Tenant payments',
        description:
          'Kubernetes namespace of tenant payments on prod-eu-1; production canary profile with a promotion gate.',
        annotations: {
          'backstage.io/kubernetes-namespace': 'payments',
          'backstage.io/kubernetes-label-selector':
            'toolkit.fluxcd.io/tenant=payments',
          'progressive-delivery/tenant': 'payments',
          'progressive-delivery/canary': 'payments/checkout',
        },
        tags: ['tenant', 'production'],
      },
      spec: {
        type: 'kubernetes-namespace',
        owner: 'group:default/team-payments',
      },
    });
  });

  it('serialises each file as YAML documents that read back unchanged', () => {
    const rbac = render(productionTenantInput)[3];
    const text = serializeFile(rbac);
    expect(
      text.startsWith('# Generated by the Backstage new-tenant template'),
    ).toBe(true);
    const docs = text.split(/^---$/m).map(part => parse(part));
    expect(docs).toEqual(rbac.documents);
  });
});
