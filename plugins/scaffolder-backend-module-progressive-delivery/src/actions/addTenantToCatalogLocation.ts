import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { posix } from 'node:path';
import { stringify } from 'yaml';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { addToYamlList } from '../gitops/yamlListEdit';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';
import { tenantPaths } from '../tenant/tenantPaths';
import { tenantInputSchema } from '../tenant/tenantRequest';
import { examples } from './addTenantToCatalogLocation.examples';
import { targetPathInput, writeWorkspaceFile } from './workspace';

/**
 * `progressive-delivery:catalog:add-tenant` — lists the tenant's `catalog-info.yaml` in the catalog
 * Location file of the GitOps repository, so the catalog picks the tenant up once the pull request
 * merges (and not before: the entity only exists on the branch until then).
 */
export function createAddTenantToCatalogLocationAction(options: {
  config: Config;
  integrations: ScmIntegrationRegistry;
  urlReader: UrlReaderService;
}) {
  const { config, integrations, urlReader } = options;
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
      const settings = TenantTemplateSettings.fromConfig(config);
      const { tenantName } = ctx.input;
      const repository = GitOpsRepository.create({
        urlReader,
        integrations,
        layout: settings.layout,
      });
      const locationFile = settings.layout.catalogPath;
      const target = `./${posix.relative(
        posix.dirname(locationFile),
        tenantPaths(settings, tenantName).catalogInfo,
      )}`;
      const text = await ctx.checkpoint({
        key: `read.${locationFile}`,
        fn: async () => (await repository.readText(locationFile)) ?? null,
      });
      let content: string;
      if (text === null) {
        content = stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Location',
          metadata: {
            name: 'tenants',
            description: 'Tenants onboarded through the new-tenant template',
          },
          spec: { targets: [target] },
        });
      } else {
        const result = addToYamlList(
          text,
          ['spec', 'targets'],
          target,
          locationFile,
        );
        if (result.status === 'present') {
          throw new InputError(
            `tenantName: tenant "${tenantName}" is already listed in ${locationFile} (as "${result.existing}")`,
          );
        }
        content = result.text;
      }
      await writeWorkspaceFile(
        ctx.workspacePath,
        ctx.input.targetPath ?? 'gitops',
        locationFile,
        content,
      );
      ctx.output('locationFile', locationFile);
      ctx.output('locationUrl', repository.fileUrl(locationFile));
    },
  });
}
