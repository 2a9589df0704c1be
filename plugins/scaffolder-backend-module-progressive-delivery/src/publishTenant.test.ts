import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import {
  productionTenantInput,
  testConfigData,
} from './__testUtils__/settings';
import { createAddTenantToCatalogLocationAction } from './actions/addTenantToCatalogLocation';
import { createAddTenantToOverlaysAction } from './actions/addTenantToOverlays';
import { createRenderTenantAction } from './actions/renderTenant';
import { demoGitOpsRepositoryFiles, GitHubTestDouble } from './testing';

// These boot the real scaffolder and run real actions over HTTP; on a loaded 2-core CI machine
// that takes longer than Jest's default 5 s per test.
jest.setTimeout(60_000);

// Lets the requests reach the local double past the test setup's network guard.
const server = setupServer();

describe('publishing a new tenant as a pull request', () => {
  const workspace = createMockDirectory();
  let double: GitHubTestDouble;
  let config: ConfigReader;
  let urlReader: UrlReaderService;

  beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => server.close());

  async function startDouble(
    files = demoGitOpsRepositoryFiles(),
    clusters = testConfigData.scaffolder.defaultEnvironment.parameters
      .gitopsClusters,
  ) {
    double = await GitHubTestDouble.start({
      owner: 'acme',
      repo: 'gitops',
      token: 'test-token',
      files,
    });
    config = new ConfigReader({
      ...testConfigData,
      scaffolder: {
        defaultEnvironment: {
          parameters: {
            ...testConfigData.scaffolder.defaultEnvironment.parameters,
            gitopsClusters: clusters,
          },
        },
      },
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: double.apiBaseUrl,
            token: 'test-token',
          },
        ],
      },
    });
    urlReader = UrlReaders.default({
      config,
      logger: mockServices.logger.mock(),
    });
  }

  beforeEach(async () => {
    workspace.clear();
    await startDouble();
  });

  afterEach(() => double.stop());

  /** Runs an action as the scaffolder would and returns its outputs. */
  async function run(action: TemplateAction<any, any, any>, input: object) {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
    });
    await action.handler(ctx);
    return Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls as [string, any][],
    );
  }

  /** The template's steps: render, add to overlays and catalog, publish. */
  async function onboard(input: object) {
    const integrations = ScmIntegrations.fromConfig(config);
    const deps = { config, integrations, urlReader };
    const rendered = await run(createRenderTenantAction(deps), input);
    await run(createAddTenantToOverlaysAction(deps), input);
    await run(createAddTenantToCatalogLocationAction(deps), input);
    expect(rendered.publisher).toBe('github');
    const published = await run(
      createPublishGithubPullRequestAction({ integrations, config }),
      {
        repoUrl: rendered.repoUrl,
        branchName: rendered.branchName,
        targetBranchName: rendered.targetBranchName,
        title: rendered.title,
        description: rendered.description,
        sourcePath: 'gitops',
      },
    );
    return { rendered, published };
  }

  it('opens a pull request with the tenant files on a deterministic branch', async () => {
    const { rendered, published } = await onboard({
      ...productionTenantInput,
      clusters: ['prod-eu-1', 'dev-eu-1'],
    });

    expect(double.pullRequests).toHaveLength(1);
    const pr = double.pullRequests[0];
    expect(published.remoteUrl).toBe(pr.htmlUrl);
    expect(pr).toMatchObject({
      head: 'onboard-tenant-payments',
      base: 'main',
      title: 'Onboard tenant payments',
    });
    expect(Object.keys(pr.changedFiles)).toEqual([
      'catalog-info.yaml',
      'kubernetes/apps/base/payments/apps/checkout-canary.yaml',
      'kubernetes/apps/base/payments/apps/kustomization.yaml',
      'kubernetes/apps/base/payments/catalog-info.yaml',
      'kubernetes/apps/base/payments/flux-alerts.yaml',
      'kubernetes/apps/base/payments/flux-sync.yaml',
      'kubernetes/apps/base/payments/istio.yaml',
      'kubernetes/apps/base/payments/kustomization.yaml',
      'kubernetes/apps/base/payments/metric-templates.yaml',
      'kubernetes/apps/base/payments/namespace.yaml',
      'kubernetes/apps/base/payments/network-policies.yaml',
      'kubernetes/apps/base/payments/quota.yaml',
      'kubernetes/apps/base/payments/rbac.yaml',
      'kubernetes/apps/overlays/dev-eu-1/kustomization.yaml',
      'kubernetes/apps/overlays/prod-eu-1/kustomization.yaml',
    ]);
    expect(
      parse(pr.changedFiles['kubernetes/apps/base/payments/namespace.yaml']),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'payments',
        labels: {
          'toolkit.fluxcd.io/tenant': 'payments',
          'istio-injection': 'enabled',
        },
      },
    });
    const canary = parse(
      pr.changedFiles[
        'kubernetes/apps/base/payments/apps/checkout-canary.yaml'
      ],
    );
    expect(canary.spec.analysis).toMatchObject({
      interval: '60s',
      stepWeight: 5,
      maxWeight: 20,
      threshold: 10,
    });

    expect(pr.body).toBe(rendered.description);
    expect(pr.body).toContain('| Owner | `group:default/team-payments` |');
    expect(pr.body).toContain(
      '| Quota | standard: 4 CPU, 8Gi memory, 20 pods, 5 PVCs, 10 services |',
    );
    expect(pr.body).toContain('| Clusters | `prod-eu-1`, `dev-eu-1` |');
    expect(pr.body).toContain(
      '| Canary profile | production: interval 60s, step 5%, max 20%, threshold 10, success rate >= 99.5%, p99 <= 500 ms, pre-rollout load test, confirm-promotion gate |',
    );
    expect(double.receivedRequests).toEqual(
      expect.arrayContaining([
        'GET /repos/acme/gitops',
        'POST /repos/acme/gitops/git/trees',
        'POST /repos/acme/gitops/git/refs',
        'POST /repos/acme/gitops/pulls',
      ]),
    );
  });

  it("adds the tenant to each overlay, keeping the overlay's entries and comments", async () => {
    await onboard({ ...productionTenantInput, clusters: ['prod-eu-1'] });
    const pr = double.pullRequests[0];
    expect(
      pr.changedFiles['kubernetes/apps/overlays/prod-eu-1/kustomization.yaml'],
    )
      .toBe(`# Production, EU 1. Flux's apps Kustomization reconciles this directory.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  # platform
  - ../../base/istio-system
  - ../../base/observability # Prometheus, Grafana, Kiali
  # tenants
  - ../../base/team-a
  - ../../base/payments
patches:
  - path: cluster-values.yaml # replicas and resources for this cluster
`);
    expect(pr.changedFiles).not.toHaveProperty(
      'kubernetes/apps/overlays/dev-eu-1/kustomization.yaml',
    );
    expect(parse(pr.changedFiles['catalog-info.yaml']).spec.targets).toEqual([
      './kubernetes/apps/base/team-a/catalog-info.yaml',
      './kubernetes/apps/base/payments/catalog-info.yaml',
    ]);

    // Once merged, the default branch lists the tenant.
    double.mergePullRequest(pr.number);
    expect(
      double.readFile(
        'main',
        'kubernetes/apps/overlays/prod-eu-1/kustomization.yaml',
      ),
    ).toContain('  - ../../base/payments\n');
  });

  it('refuses a tenant the repository already has, before anything is published', async () => {
    await expect(
      onboard({ ...productionTenantInput, tenantName: 'team-a' }),
    ).rejects.toThrow(
      'tenantName: tenant "team-a" already exists: kubernetes/apps/base/team-a/kustomization.yaml is in github.com?owner=acme&repo=gitops (branch main)',
    );
    expect(double.pullRequests).toEqual([]);
  });

  it('refuses a tenant listed in an overlay even without its base directory', async () => {
    // The seeded overlays list team-a; dropping its base directory isolates the overlay check.
    const files = demoGitOpsRepositoryFiles();
    delete files['kubernetes/apps/base/team-a/kustomization.yaml'];
    await double.stop();
    await startDouble(files);
    await expect(
      onboard({ ...productionTenantInput, tenantName: 'team-a' }),
    ).rejects.toThrow(
      'tenantName: tenant "team-a" is already listed in kubernetes/apps/overlays/prod-eu-1/kustomization.yaml (as "../../base/team-a")',
    );
  });

  it('refuses, naming the field, a cluster the repository has no overlay for', async () => {
    await double.stop();
    await startDouble(undefined, 'prod-eu-1,dev-eu-1,prod-us-1');
    await expect(
      onboard({
        ...productionTenantInput,
        clusters: ['prod-eu-1', 'prod-us-1'],
      }),
    ).rejects.toThrow(
      'clusters[1]: cluster "prod-us-1" has no overlay: kubernetes/apps/overlays/prod-us-1/kustomization.yaml is not in github.com?owner=acme&repo=gitops (branch main)',
    );
    expect(double.pullRequests).toEqual([]);
  });

  it('rejects bad input on the server before reading the repository', async () => {
    await expect(
      onboard({ ...productionTenantInput, tenantName: 'Payments!' }),
    ).rejects.toThrow(/tenantName: must be a DNS-1123 label/);
    await expect(
      onboard({ ...productionTenantInput, clusters: ['prod-us-9'] }),
    ).rejects.toThrow(/clusters\[0\]: unknown cluster "prod-us-9"/);
    await expect(
      onboard({
        ...productionTenantInput,
        quota: {
          tier: 'custom',
          cpu: 4,
          memoryGi: 1024,
          pods: 20,
          persistentVolumeClaims: 5,
          services: 10,
        },
      }),
    ).rejects.toThrow(/quota\.memoryGi: must be at most 256/);
    expect(double.receivedRequests).toEqual([]);
  });
});
