import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { clusterPickerField } from './clusterPickerField';

/** The cluster picker for the new frontend system's scaffolder (loaded when the form opens). */
export const clusterPickerFormField = createFormField(clusterPickerField);
