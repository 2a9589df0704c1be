import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { stepExample } from './stepExample';

/** The form's values for a production tenant with a first application under canary. */
export const productionTenantExampleInput = {
  tenantName: 'payments',
  owner: 'group:default/team-payments',
  clusters: ['prod-eu-1'],
  profile: 'production',
  quota: { tier: 'standard' },
  network: { metricsNamespaces: ['monitoring'], allowEgress: true },
  slackChannel: '#payments-alerts',
  application: { name: 'checkout', port: 8080 },
};

const renderExample = (description: string, input: JsonObject) =>
  stepExample({
    description,
    id: 'render',
    action: 'progressive-delivery:tenant:render',
    name: 'Render tenant manifests',
    input,
  });

export const examples: TemplateExample[] = [
  renderExample(
    'Render a production tenant with a first application under canary',
    productionTenantExampleInput,
  ),
  renderExample('Render a development tenant with a custom quota, no egress', {
    tenantName: 'search-dev',
    owner: 'group:default/team-search',
    clusters: ['dev-eu-1'],
    profile: 'development',
    quota: {
      tier: 'custom',
      cpu: 8,
      memoryGi: 16,
      pods: 40,
      persistentVolumeClaims: 4,
      services: 12,
    },
    network: { metricsNamespaces: ['monitoring'], allowEgress: false },
    slackChannel: 'search-dev',
    targetPath: 'gitops',
  }),
];
