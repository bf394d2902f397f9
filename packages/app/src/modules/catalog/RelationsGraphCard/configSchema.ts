/**
 * The card's configuration fields as Standard Schema values, which is what an
 * extension's `configSchema` takes. Backstage's own extensions build them
 * with zod; the app does not depend on zod, and the fields are few, so they
 * are written out here, each with the JSON Schema the app's configuration
 * reference is built from.
 */

type Issue = { message: string };
type Result<T> = { value: T; issues?: undefined } | { issues: Issue[] };

/** A Standard Schema value with Standard JSON Schema conversion. */
export interface ConfigField<TInput, TOutput> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<TOutput>;
    readonly jsonSchema: {
      readonly input: (options: { target: string }) => Record<string, unknown>;
      readonly output: (options: { target: string }) => Record<string, unknown>;
    };
    readonly types?: { readonly input: TInput; readonly output: TOutput };
  };
}

function field<TInput, TOutput>(
  jsonSchema: Record<string, unknown>,
  validate: (value: unknown) => Result<TOutput>,
): ConfigField<TInput, TOutput> {
  return {
    '~standard': {
      version: 1,
      vendor: 'gitops',
      validate,
      jsonSchema: { input: () => jsonSchema, output: () => jsonSchema },
    },
  };
}

const fail = (message: string) => ({ issues: [{ message }] });

/** An integer of at least `min`, `defaultValue` when absent. */
export function integerField(options: {
  min: number;
  defaultValue: number;
  description: string;
}): ConfigField<number | undefined, number> {
  const { min, defaultValue, description } = options;
  return field(
    { type: 'integer', minimum: min, default: defaultValue, description },
    value => {
      if (value === undefined) return { value: defaultValue };
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return fail(`Expected an integer, got ${JSON.stringify(value)}`);
      }
      if (value < min) return fail(`Expected at least ${min}, got ${value}`);
      return { value };
    },
  );
}

/** An optional positive number. */
export function optionalNumberField(
  description: string,
): ConfigField<number | undefined, number | undefined> {
  return field({ type: 'number', exclusiveMinimum: 0, description }, value => {
    if (value === undefined) return { value: undefined };
    if (typeof value !== 'number' || !(value > 0)) {
      return fail(`Expected a positive number, got ${JSON.stringify(value)}`);
    }
    return { value };
  });
}

/** An optional string. */
export function optionalStringField(
  description: string,
): ConfigField<string | undefined, string | undefined> {
  return field({ type: 'string', description }, value => {
    if (value === undefined) return { value: undefined };
    if (typeof value !== 'string') {
      return fail(`Expected a string, got ${JSON.stringify(value)}`);
    }
    return { value };
  });
}

/** An optional list of strings. */
export function optionalStringListField(
  description: string,
): ConfigField<string[] | undefined, string[] | undefined> {
  return field(
    { type: 'array', items: { type: 'string' }, description },
    value => {
      if (value === undefined) return { value: undefined };
      if (
        !Array.isArray(value) ||
        value.some(item => typeof item !== 'string')
      ) {
        return fail(`Expected a list of strings, got ${JSON.stringify(value)}`);
      }
      return { value: [...value] };
    },
  );
}
