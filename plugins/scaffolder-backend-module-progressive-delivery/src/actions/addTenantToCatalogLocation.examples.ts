import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "List a tenant's entity in the GitOps repository's catalog Location",
    example: yaml.stringify({
      steps: [
        {
          id: 'catalog',
          action: 'progressive-delivery:catalog:add-tenant',
          name: 'Register the tenant in the catalog on merge',
          input: { tenantName: 'payments' },
        },
      ],
    }),
  },
];
