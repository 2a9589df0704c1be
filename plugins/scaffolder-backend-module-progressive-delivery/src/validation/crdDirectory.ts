import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ManifestValidator } from './ManifestValidator';

let shared: Promise<ManifestValidator> | undefined;

/** The validator for the CRDs vendored in this package's `crds/`, compiled once per process. */
export function loadVendoredValidator(): Promise<ManifestValidator> {
  if (!shared) {
    shared = ManifestValidator.fromCrdDirectory(
      resolvePackagePath(
        '@progressive-delivery/plugin-scaffolder-backend-module-progressive-delivery',
        'crds',
      ),
    );
  }
  return shared;
}
