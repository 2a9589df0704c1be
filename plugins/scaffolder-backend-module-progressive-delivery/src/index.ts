/**
 * Scaffolder actions for the Progressive Delivery new-tenant template: render and validate a
 * tenant's manifests, and add the tenant to a GitOps repository's overlays and catalog Location.
 *
 * @packageDocumentation
 */

export { scaffolderModuleProgressiveDelivery as default } from './module';
export { createRenderTenantAction } from './actions/renderTenant';
export { createAddTenantToOverlaysAction } from './actions/addTenantToOverlays';
export { createAddTenantToCatalogLocationAction } from './actions/addTenantToCatalogLocation';
export {
  ManifestValidator,
  formatProblems,
} from './validation/ManifestValidator';
export type { ManifestProblem } from './validation/ManifestValidator';
export { TenantTemplateSettings } from './settings/TenantTemplateSettings';
export type {
  GitOpsLayout,
  MeshDefaults,
} from './settings/TenantTemplateSettings';
