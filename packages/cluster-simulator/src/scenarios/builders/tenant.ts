import { KubeObject } from '../../types';
import { tenantFlux } from './flux';
import { tenantMesh } from './istio';
import { namespace } from './objects';
import { tenantCore } from './tenantCore';

/**
 * Everything a tenant namespace carries besides its applications;
 * `ingressNamespace` is where its ingress gateway runs (istio-system, or
 * istio-ingress on a Gateway API platform).
 */
export function tenantBaseline(
  tenant: string,
  gitUrl: string,
  path: string,
  ingressNamespace?: string,
): KubeObject[] {
  return [
    namespace(tenant, {
      'toolkit.fluxcd.io/tenant': tenant,
      'istio-injection': 'enabled',
    }),
    ...tenantCore(tenant, ingressNamespace),
    ...tenantMesh(tenant, ingressNamespace),
    ...tenantFlux(tenant, gitUrl, path),
  ];
}
