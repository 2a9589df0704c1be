import { posix } from 'node:path';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';
import { GeneratedFile, GeneratedFileKind } from './GeneratedFile';
import { canaryFileName, renderCanary } from './manifests/canary';
import { renderCatalogEntity } from './manifests/catalogEntity';
import { renderFluxAlerts } from './manifests/fluxAlerts';
import { renderFluxSync } from './manifests/fluxSync';
import { renderIstio } from './manifests/istio';
import { renderKustomization } from './manifests/kustomization';
import { renderMetricTemplates } from './manifests/metricTemplates';
import { renderNamespace } from './manifests/namespace';
import { renderNetworkPolicies } from './manifests/networkPolicies';
import { renderQuota } from './manifests/quota';
import { renderRbac } from './manifests/rbac';
import { createTenantContext } from './manifests/TenantContext';
import { TenantFile } from './manifests/TenantFile';
import { TenantRequest } from './tenantRequest';

const rowIn =
  (dir: TenantFile['dir']) =>
  (
    name: TenantFile['name'],
    render: TenantFile['render'],
    kind: GeneratedFileKind = 'kubernetes',
  ): TenantFile => ({ dir, name, kind, render });
const inTenantDir = rowIn('tenant');
const inAppsDir = rowIn('apps');

/** Every file of a tenant, in the order they are written and listed in the pull request. */
const TENANT_FILES: TenantFile[] = [
  inTenantDir('namespace.yaml', renderNamespace),
  inTenantDir('quota.yaml', renderQuota),
  inTenantDir('network-policies.yaml', renderNetworkPolicies),
  inTenantDir('rbac.yaml', renderRbac),
  inTenantDir('istio.yaml', renderIstio),
  inTenantDir('flux-sync.yaml', renderFluxSync),
  inTenantDir('flux-alerts.yaml', renderFluxAlerts),
  inTenantDir('metric-templates.yaml', renderMetricTemplates),
  inTenantDir('kustomization.yaml', renderKustomization, 'kustomize'),
  inAppsDir(canaryFileName, renderCanary),
  inAppsDir('kustomization.yaml', renderKustomization, 'kustomize'),
  inTenantDir('catalog-info.yaml', renderCatalogEntity, 'catalog'),
];

/**
 * Renders every file of a new tenant: namespace, quotas, network and mesh policies, RBAC, Flux sync
 * and alerts, Flagger metric templates and (for a first application) its Canary, and the catalog
 * entity. Pure: the same request and settings always give the same files.
 */
export function renderTenant(
  request: TenantRequest,
  settings: TenantTemplateSettings,
): GeneratedFile[] {
  const tenant = createTenantContext(request, settings);
  const dirs = { tenant: tenant.paths.dir, apps: tenant.paths.appsDir };
  const files: GeneratedFile[] = [];
  for (const row of TENANT_FILES) {
    const name = typeof row.name === 'string' ? row.name : row.name(tenant);
    if (name !== undefined) {
      const dir = dirs[row.dir];
      files.push({
        path: posix.join(dir, name),
        kind: row.kind,
        documents: row.render(tenant, { dir, earlier: files }),
      });
    }
  }
  return files;
}
