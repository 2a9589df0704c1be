import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { addToYamlList } from '../gitops/yamlListEdit';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';
import { tenantPaths } from '../tenant/tenantPaths';
import { parseTenantTarget, tenantInputSchema } from '../tenant/tenantRequest';
import { examples } from './addTenantToOverlays.examples';
import { targetPathInput, writeWorkspaceFile } from './workspace';

/**
 * `progressive-delivery:overlay:add-tenant` — reads each target cluster's overlay
 * `kustomization.yaml` from the GitOps repository and adds the tenant to its resources, keeping
 * the other entries and comments. Refuses a tenant the repository already has.
 */
export function createAddTenantToOverlaysAction(options: {
  config: Config;
  integrations: ScmIntegrationRegistry;
  urlReader: UrlReaderService;
}) {
  const { config, integrations, urlReader } = options;
  return createTemplateAction({
    id: 'progressive-delivery:overlay:add-tenant',
    description:
      "Adds a tenant to the overlays of its clusters in the GitOps repository, keeping the overlays' other entries and comments",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        tenantInputSchema(z)
          .pick({ tenantName: true, clusters: true })
          .extend({
            targetPath: targetPathInput(z),
          }),
      output: {
        overlayFiles: z =>
          z.array(z.string(), { description: 'Overlay files changed' }),
      },
    },
    async handler(ctx) {
      const settings = TenantTemplateSettings.fromConfig(config);
      const { tenantName, clusters } = parseTenantTarget(ctx.input, settings);
      const repository = GitOpsRepository.create({
        urlReader,
        integrations,
        layout: settings.layout,
      });
      const paths = tenantPaths(settings, tenantName);
      const where = `${settings.layout.repoUrl} (branch ${settings.layout.branch})`;

      // Reads are checkpointed so a resumed task edits the same content it validated.
      const existingBase = await ctx.checkpoint({
        key: `read.${paths.dir}/kustomization.yaml`,
        fn: async () =>
          (await repository.readText(`${paths.dir}/kustomization.yaml`)) ??
          null,
      });
      if (existingBase !== null) {
        throw new InputError(
          `tenantName: tenant "${tenantName}" already exists: ${paths.dir}/kustomization.yaml is in ${where}`,
        );
      }

      const targetPath = ctx.input.targetPath ?? 'gitops';
      const overlayFiles: string[] = [];
      for (const [index, cluster] of clusters.entries()) {
        const file = paths.overlay(cluster);
        const text = await ctx.checkpoint({
          key: `read.${file}`,
          fn: async () => (await repository.readText(file)) ?? null,
        });
        if (text === null) {
          throw new InputError(
            `clusters[${index}]: cluster "${cluster}" has no overlay: ${file} is not in ${where}`,
          );
        }
        const entry = paths.overlayEntry(cluster);
        const result = addToYamlList(text, ['resources'], entry, file);
        if (result.status === 'present') {
          throw new InputError(
            `tenantName: tenant "${tenantName}" is already listed in ${file} (as "${result.existing}")`,
          );
        }
        await writeWorkspaceFile(
          ctx.workspacePath,
          targetPath,
          file,
          result.text,
        );
        overlayFiles.push(file);
        ctx.logger.info(`Added ${entry} to ${file}`);
      }
      ctx.output('overlayFiles', overlayFiles);
    },
  });
}
