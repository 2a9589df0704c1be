import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { chosenNames } from './ClusterPicker';

/**
 * Refuses cluster names the Progressive Delivery backend does not have (`GET /v1/clusters`).
 * The scaffolder's actions check the names again, against the GitOps repository's clusters.
 */
export const clusterPickerValidation: CustomFieldValidator<string[]> = async (
  value,
  validation,
  { apiHolder },
) => {
  const chosen = chosenNames(value);
  if (!chosen.length) {
    return; // minItems / required say that.
  }
  const api = apiHolder.get(progressiveDeliveryApiRef);
  if (!api) {
    validation.addError(
      'The Progressive Delivery plugin is not installed in this app, so the clusters cannot be checked',
    );
    return;
  }
  let known: string[];
  try {
    known = (await api.listClusters()).items.map(cluster => cluster.name);
  } catch (error) {
    validation.addError(
      `Could not list the clusters of the Progressive Delivery backend: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return;
  }
  for (const name of chosen.filter(c => !known.includes(c))) {
    validation.addError(
      `${name} is not a cluster of the Progressive Delivery backend (it has ${
        known.join(', ') || 'none'
      })`,
    );
  }
};
