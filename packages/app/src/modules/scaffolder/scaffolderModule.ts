import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/** The ServiceNamePicker field, loaded with the template form. */
const serviceNamePickerField = FormFieldBlueprint.make({
  name: 'service-name-picker',
  params: {
    field: () =>
      import('./ServiceNamePicker/field').then(m => m.ServiceNamePickerField),
  },
});

/**
 * The suite's additions to the scaffolder: the fields its templates use.
 *
 * @public
 */
export const scaffolderModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [serviceNamePickerField],
});
