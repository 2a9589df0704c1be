import { ConfigReader } from '@backstage/config';
import { productionTenantExampleInput } from '../actions/renderTenant.examples';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';

/** Configuration as the demo sets it: a GitHub GitOps repository with two clusters. */
export const testConfigData = {
  integrations: {
    github: [
      {
        host: 'github.com',
        apiBaseUrl: 'http://127.0.0.1:1/api/v3',
        token: 't',
      },
    ],
  },
  scaffolder: {
    defaultEnvironment: {
      parameters: {
        gitopsRepoUrl: 'github.com?owner=acme&repo=gitops',
        gitopsBranch: 'main',
        gitopsBasePath: 'kubernetes/apps/base',
        gitopsOverlaysPath: 'kubernetes/apps/overlays',
        gitopsClusters: 'prod-eu-1, dev-eu-1',
      },
    },
  },
  progressiveDelivery: {
    tenantTemplate: { appDomain: 'apps.example.com' },
  },
};

export const testSettings = TenantTemplateSettings.fromConfig(
  new ConfigReader(testConfigData),
);

/** The form's values for a production tenant with a first application: the action's documented example. */
export const productionTenantInput = productionTenantExampleInput;
