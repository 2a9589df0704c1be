import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stepExample } from './stepExample';

export const examples: TemplateExample[] = [
  stepExample({
    description: "Add a tenant to two clusters' overlays",
    id: 'overlays',
    action: 'progressive-delivery:overlay:add-tenant',
    name: 'Add the tenant to its clusters',
    input: {
      tenantName: 'payments',
      clusters: ['prod-eu-1', 'dev-eu-1'],
    },
  }),
];
