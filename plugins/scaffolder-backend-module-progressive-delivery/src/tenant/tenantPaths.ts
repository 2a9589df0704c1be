import { posix } from 'node:path';
import { TenantTemplateSettings } from '../settings/TenantTemplateSettings';

/** Paths of a tenant inside the GitOps repository. */
export function tenantPaths(
  settings: TenantTemplateSettings,
  tenantName: string,
) {
  const dir = posix.join(settings.layout.basePath, tenantName);
  return {
    dir,
    appsDir: posix.join(dir, 'apps'),
    catalogInfo: posix.join(dir, 'catalog-info.yaml'),
    overlay: (cluster: string) =>
      posix.join(settings.layout.overlaysPath, cluster, 'kustomization.yaml'),
    /** The entry an overlay's `resources` gets: the tenant's directory relative to the overlay. */
    overlayEntry: (cluster: string) =>
      posix.relative(posix.join(settings.layout.overlaysPath, cluster), dir),
  };
}

export type TenantPaths = ReturnType<typeof tenantPaths>;
