import { useEffect, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  CustomFieldValidator,
  makeFieldSchema,
} from '@backstage/plugin-scaffolder-react';
import {
  dnsLabelProblem,
  EntityLookup,
  serviceNameProblem,
} from './serviceName';

/** What the field knows about the name typed so far. */
type NameStatus =
  | { state: 'empty' }
  | { state: 'checking' }
  | { state: 'free' }
  | { state: 'problem'; message: string };

/** How long typing must pause before the catalog is asked. */
const CHECK_DELAY_MS = 400;

/**
 * Checks the name while it is typed: the DNS-label rule at once, the catalog
 * once typing pauses. Only a hint; the validation below is what blocks.
 */
function useNameStatus(
  name: string,
  catalog: EntityLookup,
  maxLength: number | undefined,
): NameStatus {
  const [status, setStatus] = useState<NameStatus>({ state: 'empty' });
  useEffect(() => {
    if (!name) {
      setStatus({ state: 'empty' });
      return undefined;
    }
    const local = dnsLabelProblem(name, maxLength);
    if (local) {
      setStatus({ state: 'problem', message: local });
      return undefined;
    }
    setStatus({ state: 'checking' });
    let current = true;
    const timer = setTimeout(() => {
      serviceNameProblem(name, catalog).then(
        message => {
          if (current) {
            setStatus(
              message ? { state: 'problem', message } : { state: 'free' },
            );
          }
        },
        // Not a verdict on the name: validation asks again on Next.
        () => current && setStatus({ state: 'empty' }),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [name, catalog, maxLength]);
  return status;
}

/**
 * The schema of the field's value: the name, a string.
 *
 * @public
 */
export const ServiceNamePickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
});

/**
 * A text field for the name of a new service that says, while it is typed,
 * whether the name is a DNS label and whether a component already has it.
 *
 * @public
 */
export const ServiceNamePicker = (
  props: typeof ServiceNamePickerFieldSchema.TProps,
) => {
  const {
    onChange,
    required,
    schema: { title = 'Name', description, maxLength },
    rawErrors,
    formData,
    uiSchema,
    idSchema,
    placeholder,
  } = props;
  const catalogApi = useApi(catalogApiRef);
  const name = formData ?? '';
  const status = useNameStatus(name, catalogApi, maxLength);

  let helperText: string | undefined = description;
  if (status.state === 'checking') {
    helperText = 'Checking the catalog…';
  } else if (status.state === 'free') {
    helperText = `${name} is free`;
  } else if (status.state === 'problem' && !rawErrors?.length) {
    // Once validation has run, its errors show below the field instead.
    helperText = status.message;
  }

  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      placeholder={placeholder}
      helperText={helperText}
      required={required}
      value={name}
      onChange={({ target: { value } }) => onChange(value)}
      margin="normal"
      error={status.state === 'problem' || (rawErrors?.length ?? 0) > 0}
      inputProps={{
        autoFocus: uiSchema['ui:autofocus'],
        autoCapitalize: 'none',
        spellCheck: false,
        'aria-describedby': `${idSchema?.$id}-status`,
      }}
      FormHelperTextProps={{
        id: `${idSchema?.$id}-status`,
        margin: 'dense',
        style: { marginLeft: 0 },
      }}
    />
  );
};

/**
 * Blocks the form until the name is a DNS label that no component has; runs
 * when the user moves to the next step or reviews.
 *
 * @public
 */
export const serviceNamePickerValidation: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder },
) => {
  // An empty value is the schema's `required` to report.
  if (!value) return;
  try {
    const problem = await serviceNameProblem(
      value,
      apiHolder.get(catalogApiRef),
    );
    if (problem) validation.addError(problem);
  } catch (error) {
    validation.addError(
      `could not check whether ${value} is taken: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
};
