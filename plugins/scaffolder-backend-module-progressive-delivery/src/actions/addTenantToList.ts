import { InputError } from '@backstage/errors';
import { addToYamlList } from '../gitops/yamlListEdit';

/**
 * `text` with `entry` appended to the list at `listPath`; an InputError on the tenant's name when
 * the list already has the entry.
 */
export function addTenantToList(options: {
  tenantName: string;
  file: string;
  text: string;
  listPath: string[];
  entry: string;
}): string {
  const { tenantName, file, text, listPath, entry } = options;
  const result = addToYamlList(text, listPath, entry, file);
  if (result.status === 'present') {
    throw new InputError(
      `tenantName: tenant "${tenantName}" is already listed in ${file} (as "${result.existing}")`,
    );
  }
  return result.text;
}
