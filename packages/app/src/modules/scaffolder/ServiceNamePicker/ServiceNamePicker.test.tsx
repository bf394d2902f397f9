import { fireEvent, render, screen } from '@testing-library/react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { createAsyncValidators } from '@backstage/plugin-scaffolder-react/alpha';
import { useState } from 'react';
import {
  ServiceNamePicker,
  serviceNamePickerValidation,
} from './ServiceNamePicker';

const catalogApi = {
  getEntityByRef: jest.fn(async (ref: string | { name: string }) => {
    const name = typeof ref === 'string' ? ref : ref.name;
    return name === 'example-app'
      ? {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name },
        }
      : undefined;
  }),
};
const apiHolder = {
  get: (ref: { id: string }) =>
    ref.id === catalogApiRef.id ? catalogApi : undefined,
} as any;

/** A template parameter page as the scaffolder hands it to the form. */
const schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
      'ui:field': 'ServiceNamePicker',
    },
  },
};

describe('ServiceNamePicker validation', () => {
  // The scaffolder's own form validation, which runs the field's validator
  // when the user moves on and keeps them on the step while it reports.
  const validate = createAsyncValidators(
    schema,
    { ServiceNamePicker: serviceNamePickerValidation as any },
    { apiHolder },
  );

  it('reports a name a component already has as a field error', async () => {
    const result: any = await validate({ name: 'example-app' });
    expect(result.name.__errors).toEqual([
      'a component named example-app already exists',
    ]);
  });

  it('reports a name that is not a DNS label', async () => {
    const result: any = await validate({ name: 'Example_App' });
    expect(result.name.__errors).toEqual(['must be lowercase']);
  });

  it('accepts a free DNS label', async () => {
    const result: any = await validate({ name: 'artist-lookup' });
    expect(result.name.__errors).toEqual([]);
  });

  it('blocks with a clear message when the catalog cannot answer', async () => {
    const failing = {
      get: () => ({
        getEntityByRef: async () => {
          throw new Error('catalog unavailable');
        },
      }),
    } as any;
    const result: any = await createAsyncValidators(
      schema,
      { ServiceNamePicker: serviceNamePickerValidation as any },
      { apiHolder: failing },
    )({ name: 'artist-lookup' });
    expect(result.name.__errors).toEqual([
      'could not check whether artist-lookup is taken: catalog unavailable',
    ]);
  });
});

describe('ServiceNamePicker', () => {
  function Field() {
    const [value, setValue] = useState<string | undefined>();
    return (
      <ServiceNamePicker
        {...({
          onChange: setValue,
          formData: value,
          required: true,
          schema: { title: 'Name', description: 'A DNS label' },
          uiSchema: {},
          idSchema: { $id: 'root_name' },
          rawErrors: [],
        } as any)}
      />
    );
  }

  const renderField = () =>
    render(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <Field />
      </TestApiProvider>,
    );

  it('says while typing that the name is taken', async () => {
    renderField();
    fireEvent.change(screen.getByRole('textbox'), {
      target: { value: 'example-app' },
    });
    expect(
      await screen.findByText('Checking the catalog…'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('a component named example-app already exists'),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox')).toHaveAttribute('aria-invalid', 'true');
  });

  it('says while typing that the name is free', async () => {
    renderField();
    fireEvent.change(screen.getByRole('textbox'), {
      target: { value: 'artist-lookup' },
    });
    expect(
      await screen.findByText('artist-lookup is free'),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox')).toHaveAttribute(
      'aria-invalid',
      'false',
    );
  });

  it("applies the template's tighter length limit while typing", () => {
    render(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <ServiceNamePicker
          {...({
            onChange: jest.fn(),
            formData: 'x'.repeat(57),
            schema: { title: 'Name', maxLength: 56 },
            uiSchema: {},
            idSchema: { $id: 'root_name' },
          } as any)}
        />
      </TestApiProvider>,
    );
    expect(
      screen.getByText('must be at most 56 characters, not 57'),
    ).toBeInTheDocument();
  });

  it('explains the DNS-label rule at once', () => {
    renderField();
    fireEvent.change(screen.getByRole('textbox'), {
      target: { value: 'artist_lookup' },
    });
    expect(
      screen.getByText(/may contain only lowercase letters, digits and "-"/),
    ).toBeInTheDocument();
  });
});
