import { KubeObject } from '../../types';
import { tenantFlux } from './flux';
import { tenantMesh } from './istio';
import { namespace } from './objects';
import { tenantCore } from './tenantCore';

/** Everything a tenant namespace carries besides its applications. */
export function tenantBaseline(
  tenant: string,
  gitUrl: string,
  path: string,
): KubeObject[] {
  return [
    namespace(tenant, {
      'toolkit.fluxcd.io/tenant': tenant,
      'istio-injection': 'enabled',
    }),
    ...tenantCore(tenant),
    ...tenantMesh(tenant),
    ...tenantFlux(tenant, gitUrl, path),
  ];
}
