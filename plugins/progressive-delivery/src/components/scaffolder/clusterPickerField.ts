import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { ClusterPicker } from './ClusterPicker';
import { clusterPickerValidation } from './clusterPickerValidation';

/** The name templates use: `ui:field: ProgressiveDeliveryClusterPicker`. */
export const CLUSTER_PICKER_FIELD_NAME = 'ProgressiveDeliveryClusterPicker';

/** The field's value: the names of the chosen clusters. */
export const ClusterPickerFieldSchema = makeFieldSchema({
  output: z => z.array(z.string()),
});

/** The field as both frontend systems register it. */
export const clusterPickerField = {
  name: CLUSTER_PICKER_FIELD_NAME,
  component: ClusterPicker,
  validation: clusterPickerValidation,
  schema: ClusterPickerFieldSchema,
};
