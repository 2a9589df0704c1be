import {
  MeshDefaults,
  TenantTemplateSettings,
} from '../../settings/TenantTemplateSettings';
import { CANARY_PROFILES, CanaryProfile } from '../canaryProfiles';
import { TenantPaths, tenantPaths } from '../tenantPaths';
import { TenantRequest } from '../tenantRequest';

/** Label `flux create tenant` puts on a tenant's objects (fluxcd/flux2 cmd/flux/create_tenant.go). */
export const TENANT_LABEL = 'toolkit.fluxcd.io/tenant';

/** What every manifest of a tenant is rendered from: the request, the platform's settings and what follows from them. */
export interface TenantContext {
  request: TenantRequest;
  settings: TenantTemplateSettings;
  mesh: MeshDefaults;
  profile: CanaryProfile;
  /** The tenant's namespace, which has the tenant's name. */
  namespace: string;
  paths: TenantPaths;
  /** The tenant label. One object, so that a document repeating it writes it as a YAML alias. */
  labels: Record<string, string>;
  /** Namespaces of the mesh's control plane and gateways, each once. */
  meshNamespaces: string[];
  /** An object's metadata: its name, namespace (the tenant's by default) and the tenant label. */
  metadata(
    name: string,
    namespace?: string,
  ): { name: string; namespace: string; labels: Record<string, string> };
}

export function createTenantContext(
  request: TenantRequest,
  settings: TenantTemplateSettings,
): TenantContext {
  const ns = request.tenantName;
  const { mesh } = settings;
  const labels = { [TENANT_LABEL]: ns };
  return {
    request,
    settings,
    mesh,
    profile: CANARY_PROFILES[request.profile],
    namespace: ns,
    paths: tenantPaths(settings, ns),
    labels,
    meshNamespaces: [
      ...new Set([
        'istio-system',
        mesh.gateway.namespace,
        mesh.ingressGatewayServiceAccount.namespace,
      ]),
    ],
    metadata: (name, namespace = ns) => ({ name, namespace, labels }),
  };
}
