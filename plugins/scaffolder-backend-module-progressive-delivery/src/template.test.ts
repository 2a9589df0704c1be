import fs from 'node:fs';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { parse } from 'yaml';
import { testConfigData } from './__testUtils__/settings';
import { demoGitOpsRepositoryFiles, GitHubTestDouble } from './testing';
import { ManifestValidator } from './validation/ManifestValidator';
import scaffolderModuleProgressiveDelivery from '.';

// These boot the real scaffolder and run real actions over HTTP; on a loaded 2-core CI machine
// that takes longer than Jest's default 5 s per test.
jest.setTimeout(60_000);

const templatePath = path.resolve(
  __dirname,
  '../../../templates/new-tenant/template.yaml',
);

// Lets the backend's UrlReader reach the local double past the test setup's network guard.
const server = setupServer();

const template = parse(fs.readFileSync(templatePath, 'utf8'));
const values = {
  tenantName: 'payments',
  owner: 'group:default/team-a',
  slackChannel: '#payments-alerts',
  clusters: ['prod-eu-1', 'dev-eu-1'],
  profile: 'production',
  quotaTier: 'standard',
  metricsNamespaces: ['monitoring'],
  allowEgress: true,
  appName: 'checkout',
  appPort: 8080,
};

/** The real scaffolder backend with this module, reading from and publishing to the double. */
describe('the new-tenant template in the scaffolder', () => {
  let double: GitHubTestDouble;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'bypass' });
    double = await GitHubTestDouble.start({
      owner: 'acme',
      repo: 'gitops',
      token: 'test-token',
      files: demoGitOpsRepositoryFiles(),
    });
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderGithubModule,
        scaffolderModuleProgressiveDelivery,
        catalogServiceMock.factory({
          entities: [
            {
              ...template,
              metadata: { ...template.metadata, namespace: 'default' },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            ...testConfigData,
            integrations: {
              github: [
                {
                  host: 'github.com',
                  apiBaseUrl: double.apiBaseUrl,
                  token: 'test-token',
                },
              ],
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend.stop();
    await double.stop();
    server.close();
  });

  const dryRun = (body: object) =>
    request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({ template, secrets: {}, directoryContents: [], ...body });

  it('produces every tenant file, validated, and the overlay and catalog edits', async () => {
    const response = await dryRun({ values });
    expect(response.status).toBe(200);
    const files = Object.fromEntries(
      (
        response.body.directoryContents as {
          path: string;
          base64Content: string;
        }[]
      ).map(f => [f.path, Buffer.from(f.base64Content, 'base64').toString()]),
    );
    expect(Object.keys(files).sort()).toEqual([
      'gitops/catalog-info.yaml',
      'gitops/kubernetes/apps/base/payments/apps/checkout-canary.yaml',
      'gitops/kubernetes/apps/base/payments/apps/kustomization.yaml',
      'gitops/kubernetes/apps/base/payments/catalog-info.yaml',
      'gitops/kubernetes/apps/base/payments/flux-alerts.yaml',
      'gitops/kubernetes/apps/base/payments/flux-sync.yaml',
      'gitops/kubernetes/apps/base/payments/istio.yaml',
      'gitops/kubernetes/apps/base/payments/kustomization.yaml',
      'gitops/kubernetes/apps/base/payments/metric-templates.yaml',
      'gitops/kubernetes/apps/base/payments/namespace.yaml',
      'gitops/kubernetes/apps/base/payments/network-policies.yaml',
      'gitops/kubernetes/apps/base/payments/quota.yaml',
      'gitops/kubernetes/apps/base/payments/rbac.yaml',
      'gitops/kubernetes/apps/overlays/dev-eu-1/kustomization.yaml',
      'gitops/kubernetes/apps/overlays/prod-eu-1/kustomization.yaml',
    ]);

    // Independently of the action's own check: every object the dry run wrote validates.
    const validator = await ManifestValidator.fromCrdDirectory(
      path.resolve(__dirname, '../crds'),
    );
    const objects = Object.entries(files)
      .filter(
        ([p]) =>
          p.startsWith('gitops/kubernetes/apps/base/') &&
          !p.endsWith('kustomization.yaml') &&
          !p.endsWith('catalog-info.yaml'),
      )
      .flatMap(([, text]) => text.split(/^---$/m).map(doc => parse(doc)));
    expect(objects).toHaveLength(25);
    for (const object of objects) {
      expect(validator.validate(object)).toEqual([]);
    }

    expect(
      parse(
        files['gitops/kubernetes/apps/overlays/dev-eu-1/kustomization.yaml'],
      ).resources,
    ).toEqual([
      '../../base/istio-system',
      '../../base/observability',
      '../../base/team-a',
      '../../base/payments',
    ]);

    const steps = response.body.steps.map((s: { id: string }) => s.id);
    expect(steps).toEqual([
      'render',
      'overlays',
      'catalog',
      'publishGithub',
      'publishGitlab',
    ]);
    expect(response.body.output.links).toEqual([
      {
        title: 'Pull request',
        url: 'github.com?owner=acme&repo=gitops',
      },
      {
        title: 'Tenant in the catalog (once merged)',
        icon: 'catalog',
        entityRef: 'resource:default/payments',
      },
    ]);
    const log = response.body.log
      .map((l: { body: { message: string } }) => l.body.message)
      .join('\n');
    expect(log).toContain(
      'Rendered tenant payments: 12 files, every object valid',
    );
    expect(log).toContain(
      'Skipping step publishGitlab because its if condition was false',
    );
  });

  it("rejects a bad tenant name against the form's schema, naming the field", async () => {
    const response = await dryRun({
      values: { ...values, tenantName: 'Payments' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        property: 'instance.tenantName',
        message: 'does not match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"',
      }),
    ]);
  });

  // The form offers the Progressive Delivery backend's clusters (ProgressiveDeliveryClusterPicker),
  // not an enum kept in step with gitopsClusters: the actions refuse what the repository lacks.
  it('offers the clusters through the picker field and refuses one the GitOps repository lacks', async () => {
    const clusters = template.spec.parameters[1].properties.clusters;
    expect(clusters['ui:field']).toBe('ProgressiveDeliveryClusterPicker');
    expect(clusters.items).toEqual({ type: 'string' });
    const response = await dryRun({
      values: { ...values, clusters: ['prod-eu-1', 'prod-us-9'] },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /clusters\[1\]: unknown cluster "prod-us-9"; configured clusters are prod-eu-1, dev-eu-1/,
    );
  });

  it('fails the run, naming the field, for a tenant that already exists', async () => {
    const response = await dryRun({
      values: { ...values, tenantName: 'team-a' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      name: 'InputError',
      message:
        'tenantName: tenant "team-a" already exists: kubernetes/apps/base/team-a/kustomization.yaml is in github.com?owner=acme&repo=gitops (branch main)',
    });
    expect(
      double.pullRequests.filter(p => p.head === 'onboard-tenant-team-a'),
    ).toEqual([]);
  });

  // Last: it merges a tenant into the double's default branch, which the other tests read.
  it('runs a task end to end: pull request opened, its link the output', async () => {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({
        templateRef: 'template:default/new-tenant',
        values: { ...values, tenantName: 'orders' },
      });
    expect(created.status).toBe(201);
    const taskId = created.body.id;

    // The task worker runs in the background; follow the task's events until it completes.
    let completion: any;
    while (!completion) {
      const events = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', mockCredentials.user.header());
      completion = events.body.find((e: any) => e.type === 'completion');
      if (!completion) {
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }
    expect(completion.body.message).toBe(
      'Run completed with status: completed',
    );

    expect(double.pullRequests).toHaveLength(1);
    const pr = double.pullRequests[0];
    expect(pr.head).toBe('onboard-tenant-orders');
    expect(Object.keys(pr.changedFiles)).toHaveLength(15);
    expect(completion.body.output.links).toEqual([
      { title: 'Pull request', url: pr.htmlUrl },
      {
        title: 'Tenant in the catalog (once merged)',
        icon: 'catalog',
        entityRef: 'resource:default/orders',
      },
    ]);

    // Once merged, running the template again for the same tenant is refused.
    double.mergePullRequest(pr.number);
    const again = await dryRun({ values: { ...values, tenantName: 'orders' } });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe(
      'tenantName: tenant "orders" already exists: kubernetes/apps/base/orders/kustomization.yaml is in github.com?owner=acme&repo=gitops (branch main)',
    );
  });
});
