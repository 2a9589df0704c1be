import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';
import { describeTenant } from '../tenant/describeTenant';
import { renderTenant } from '../tenant/renderTenant';
import { tenantPaths } from '../tenant/tenantPaths';
import { serializeFile } from '../tenant/serialize';
import { parseTenantRequest, tenantInputSchema } from '../tenant/tenantRequest';
import { ManifestValidator } from '../validation/ManifestValidator';
import { loadVendoredValidator } from '../validation/crdDirectory';
import { examples } from './renderTenant.examples';
import { targetPathInput, writeWorkspaceFile } from './workspace';

/**
 * `progressive-delivery:tenant:render` — validates the new-tenant form again on the server, renders
 * the tenant's manifests into the workspace, and checks every object against the upstream CRD and
 * Kubernetes schemas before anything can be published.
 */
export function createRenderTenantAction(options: {
  config: Config;
  integrations: ScmIntegrationRegistry;
  urlReader: UrlReaderService;
  /** Defaults to the CRDs vendored in this package. */
  loadValidator?: () => Promise<ManifestValidator>;
}) {
  const {
    config,
    integrations,
    urlReader,
    loadValidator = loadVendoredValidator,
  } = options;
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
      const settings = TenantTemplateSettings.fromConfig(config);
      const request = parseTenantRequest(ctx.input, settings);
      const repository = GitOpsRepository.create({
        urlReader,
        integrations,
        layout: settings.layout,
      });
      const files = renderTenant(request, settings);

      const validator = await loadValidator();
      const problems = files
        .filter(f => f.kind === 'kubernetes')
        .flatMap(f =>
          f.documents.flatMap(doc =>
            validator
              .validate(doc)
              .map(p => `${f.path}: ${p.object}: ${p.field}: ${p.message}`),
          ),
        );
      if (problems.length > 0) {
        throw new InputError(
          `The generated manifests would be rejected by the cluster:\n${problems.join(
            '\n',
          )}`,
        );
      }

      const targetPath = ctx.input.targetPath ?? 'gitops';
      for (const file of files) {
        await writeWorkspaceFile(
          ctx.workspacePath,
          targetPath,
          file.path,
          serializeFile(file),
        );
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
