import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { posix } from 'node:path';
import { stringify } from 'yaml';
import { tenantPaths } from '../tenant/tenantPaths';
import { tenantInputSchema } from '../tenant/tenantRequest';
import { examples } from './addTenantToCatalogLocation.examples';
import { addTenantToList } from './addTenantToList';
import {
  readRepositoryFile,
  startTenantTask,
  TenantActionOptions,
} from './tenantTask';
import { targetPathInput, writeWorkspaceFile } from './workspace';

/**
 * `progressive-delivery:catalog:add-tenant` — lists the tenant's `catalog-info.yaml` in the catalog
 * Location file of the GitOps repository, so the catalog picks the tenant up once the pull request
 * merges (and not before: the entity only exists on the branch until then).
 */
export function createAddTenantToCatalogLocationAction(
  options: TenantActionOptions,
) {
  return createTemplateAction({
    id: 'progressive-delivery:catalog:add-tenant',
    description:
      "Adds the tenant's catalog-info.yaml to the catalog Location file of the GitOps repository",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        tenantInputSchema(z)
          .pick({ tenantName: true })
          .extend({
            targetPath: targetPathInput(z),
          }),
      output: {
        locationFile: z =>
          z.string({ description: 'The catalog Location file changed' }),
        locationUrl: z =>
          z.string({
            description: 'URL of the Location file to register in the catalog',
          }),
      },
    },
    async handler(ctx) {
      const { settings, input, repository } = startTenantTask(
        options,
        () => ctx.input,
      );
      const { tenantName } = input;
      const locationFile = settings.layout.catalogPath;
      const target = `./${posix.relative(
        posix.dirname(locationFile),
        tenantPaths(settings, tenantName).catalogInfo,
      )}`;
      const text = await readRepositoryFile(ctx, repository, locationFile);
      const content =
        text === null
          ? newLocationFile(target)
          : addTenantToList({
              tenantName,
              file: locationFile,
              text,
              listPath: ['spec', 'targets'],
              entry: target,
            });
      await writeWorkspaceFile(ctx, locationFile, content);
      ctx.output('locationFile', locationFile);
      ctx.output('locationUrl', repository.fileUrl(locationFile));
    },
  });
}

/** The Location file for a repository that has none yet. */
function newLocationFile(target: string): string {
  return stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: 'tenants',
      description: 'Tenants onboarded through the new-tenant template',
    },
    spec: { targets: [target] },
  });
}
