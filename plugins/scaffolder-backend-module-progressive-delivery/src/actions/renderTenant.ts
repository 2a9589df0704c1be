import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { describeTenant } from '../tenant/describeTenant';
import { renderTenant } from '../tenant/renderTenant';
import { serializeFile } from '../tenant/serialize';
import { tenantPaths } from '../tenant/tenantPaths';
import { parseTenantRequest, tenantInputSchema } from '../tenant/tenantRequest';
import { assertValidManifests } from '../validation/assertValidManifests';
import { ManifestValidator } from '../validation/ManifestValidator';
import { loadVendoredValidator } from '../validation/crdDirectory';
import { examples } from './renderTenant.examples';
import { startTenantTask, TenantActionOptions } from './tenantTask';
import { targetPathInput, writeWorkspaceFile } from './workspace';

/**
 * `progressive-delivery:tenant:render` — validates the new-tenant form again on the server, renders
 * the tenant's manifests into the workspace, and checks every object against the upstream CRD and
 * Kubernetes schemas before anything can be published.
 */
export function createRenderTenantAction(
  options: TenantActionOptions & {
    /** Defaults to the CRDs vendored in this package. */
    loadValidator?: () => Promise<ManifestValidator>;
  },
) {
  const { loadValidator = loadVendoredValidator } = options;
  return createTemplateAction({
    id: 'progressive-delivery:tenant:render',
    description:
      "Renders a tenant's namespace, quotas, network and mesh policies, Flux sync and alerts and Flagger canary defaults into the workspace, validated against upstream schemas",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        tenantInputSchema(z).extend({
          targetPath: targetPathInput(z),
        }),
      output: {
        branchName: z => z.string({ description: 'Deterministic branch name' }),
        title: z => z.string({ description: 'Pull request title' }),
        description: z =>
          z.string({ description: 'Pull request description (Markdown)' }),
        publisher: z =>
          z.enum(['github', 'gitlab'], {
            description: 'Which publish action fits the repository host',
          }),
        repoUrl: z => z.string({ description: 'The GitOps repository' }),
        targetBranchName: z =>
          z.string({ description: 'Branch the pull request targets' }),
        files: z =>
          z.array(z.string(), { description: 'Files written, repo paths' }),
        catalogInfoUrl: z =>
          z.string({
            description:
              "Where the tenant's catalog entity will be once merged",
          }),
      },
    },
    async handler(ctx) {
      const {
        settings,
        input: request,
        repository,
      } = startTenantTask(options, s => parseTenantRequest(ctx.input, s));
      const files = renderTenant(request, settings);
      assertValidManifests(await loadValidator(), files);
      for (const file of files) {
        await writeWorkspaceFile(ctx, file.path, serializeFile(file));
      }
      const paths = tenantPaths(settings, request.tenantName);
      const pr = describeTenant(
        request,
        files,
        request.clusters.map(paths.overlay),
      );
      ctx.logger.info(
        `Rendered tenant ${request.tenantName}: ${files.length} files, every object valid`,
      );
      ctx.output('branchName', pr.branchName);
      ctx.output('title', pr.title);
      ctx.output('description', pr.description);
      ctx.output('publisher', repository.publisher);
      ctx.output('repoUrl', settings.layout.repoUrl);
      ctx.output('targetBranchName', settings.layout.branch);
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('catalogInfoUrl', repository.fileUrl(paths.catalogInfo));
    },
  });
}
