import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ServiceNamePicker,
  ServiceNamePickerFieldSchema,
  serviceNamePickerValidation,
} from './ServiceNamePicker';

/**
 * `ui:field: ServiceNamePicker`, the name field of every template.
 *
 * @public
 */
export const ServiceNamePickerField = createFormField({
  name: 'ServiceNamePicker',
  component: ServiceNamePicker,
  validation: serviceNamePickerValidation,
  schema: ServiceNamePickerFieldSchema,
});
