import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render a production tenant with a first application under canary',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'progressive-delivery:tenant:render',
          name: 'Render tenant manifests',
          input: {
            tenantName: 'payments',
            owner: 'group:default/team-payments',
            clusters: ['prod-eu-1'],
            profile: 'production',
            quota: { tier: 'standard' },
            network: { metricsNamespaces: ['monitoring'], allowEgress: true },
            slackChannel: '#payments-alerts',
            application: { name: 'checkout', port: 8080 },
          },
        },
      ],
    }),
  },
  {
    description: 'Render a development tenant with a custom quota, no egress',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'progressive-delivery:tenant:render',
          name: 'Render tenant manifests',
          input: {
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
          },
        },
      ],
    }),
  },
];
