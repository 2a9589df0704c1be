import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Add a tenant to two clusters' overlays",
    example: yaml.stringify({
      steps: [
        {
          id: 'overlays',
          action: 'progressive-delivery:overlay:add-tenant',
          name: 'Add the tenant to its clusters',
          input: {
            tenantName: 'payments',
            clusters: ['prod-eu-1', 'dev-eu-1'],
          },
        },
      ],
    }),
  },
];
