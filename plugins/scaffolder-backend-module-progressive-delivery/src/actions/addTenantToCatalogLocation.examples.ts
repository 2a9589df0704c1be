import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stepExample } from './stepExample';

export const examples: TemplateExample[] = [
  stepExample({
    description:
      "List a tenant's entity in the GitOps repository's catalog Location",
    id: 'catalog',
    action: 'progressive-delivery:catalog:add-tenant',
    name: 'Register the tenant in the catalog on merge',
    input: { tenantName: 'payments' },
  }),
];
