import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { tenantPaths } from '../tenant/tenantPaths';
import { parseTenantTarget, tenantInputSchema } from '../tenant/tenantRequest';
import { examples } from './addTenantToOverlays.examples';
import { addTenantToList } from './addTenantToList';
import {
  readRepositoryFile,
  startTenantTask,
  TenantActionOptions,
} from './tenantTask';
import { targetPathInput, writeWorkspaceFile } from './workspace';

/**
 * `progressive-delivery:overlay:add-tenant` — reads each target cluster's overlay
 * `kustomization.yaml` from the GitOps repository and adds the tenant to its resources, keeping
 * the other entries and comments. Refuses a tenant the repository already has.
 */
export function createAddTenantToOverlaysAction(options: TenantActionOptions) {
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
      const { settings, input, repository } = startTenantTask(options, s =>
        parseTenantTarget(ctx.input, s),
      );
      const { tenantName, clusters } = input;
      const paths = tenantPaths(settings, tenantName);
      const where = `${settings.layout.repoUrl} (branch ${settings.layout.branch})`;

      const baseFile = `${paths.dir}/kustomization.yaml`;
      if ((await readRepositoryFile(ctx, repository, baseFile)) !== null) {
        throw new InputError(
          `tenantName: tenant "${tenantName}" already exists: ${baseFile} is in ${where}`,
        );
      }

      const overlayFiles: string[] = [];
      for (const [index, cluster] of clusters.entries()) {
        const file = paths.overlay(cluster);
        const text = await readRepositoryFile(ctx, repository, file);
        if (text === null) {
          throw new InputError(
            `clusters[${index}]: cluster "${cluster}" has no overlay: ${file} is not in ${where}`,
          );
        }
        const entry = paths.overlayEntry(cluster);
        await writeWorkspaceFile(
          ctx,
          file,
          addTenantToList({
            tenantName,
            file,
            text,
            listPath: ['resources'],
            entry,
          }),
        );
        overlayFiles.push(file);
        ctx.logger.info(`Added ${entry} to ${file}`);
      }
      ctx.output('overlayFiles', overlayFiles);
    },
  });
}
