import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAddTenantToCatalogLocationAction } from './actions/addTenantToCatalogLocation';
import { createAddTenantToOverlaysAction } from './actions/addTenantToOverlays';
import { createRenderTenantAction } from './actions/renderTenant';

/**
 * Scaffolder actions of the new-tenant template.
 *
 * @public
 */
export const scaffolderModuleProgressiveDelivery = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'progressive-delivery',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        urlReader: coreServices.urlReader,
      },
      async init({ scaffolder, config, urlReader }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const deps = { config, integrations, urlReader };
        scaffolder.addActions(
          createRenderTenantAction(deps),
          createAddTenantToOverlaysAction(deps),
          createAddTenantToCatalogLocationAction(deps),
        );
      },
    });
  },
});
