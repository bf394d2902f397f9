import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { NotFoundError, ResponseError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import { pipelinesApiRef } from '../../api';
import {
  component,
  expansion,
  mockPipelinesApi,
} from '../../__testUtils__/fixtures';
import { PipelinesContent } from './PipelinesContent';

async function renderContent(
  entity: Entity,
  api: ReturnType<typeof mockPipelinesApi>,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [pipelinesApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={entity}>
        <PipelinesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

// Rendering the app's providers and lazy components takes a while on a
// loaded machine.
jest.setTimeout(30_000);

describe('PipelinesContent', () => {
  it('shows the build-info.yaml snippet for a component without one', async () => {
    const api = mockPipelinesApi();
    await renderContent(
      component({ 'gitops.io/descriptors': 'catalog-info.yaml' }),
      api,
    );
    expect(await screen.findByText('No build-info.yaml')).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'build-info.yaml' }),
    ).toHaveTextContent('version: 2 template: { type: nodeService }', {
      normalizeWhitespace: true,
    });
    expect(api.listRuns).not.toHaveBeenCalled();
  });

  it('shows the snippet when the backend finds no build-info.yaml', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'no build-info.yaml at master',
        },
        response: { statusCode: 404 },
      }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    );
    const api = mockPipelinesApi({
      getExpandedPipeline: jest.fn(async () => {
        throw await ResponseError.fromResponse(response);
      }),
    });
    await renderContent(component(), api);
    expect(await screen.findByText('No build-info.yaml')).toBeInTheDocument();
  });

  it('shows the positioned problems of an invalid build-info.yaml', async () => {
    const api = mockPipelinesApi({
      getExpandedPipeline: jest.fn(async () =>
        expansion({
          origin: undefined,
          yaml: undefined,
          githubActions: undefined,
          argoWorkflows: undefined,
          pipelines: undefined,
          problems: [
            {
              file: 'build-info.yaml',
              line: 2,
              column: 11,
              path: 'template.type',
              message:
                'unknown template "nodeServce"; did you mean "nodeService"?',
            },
            {
              file: 'build-info.yaml',
              line: 4,
              column: 3,
              path: 'template.nodeService.nodeVersion',
              message: 'must be 20 or 22',
            },
          ],
        }),
      ),
    });
    await renderContent(component(), api);
    const problems = await screen.findByRole('list', { name: 'Problems' });
    expect(
      [...problems.querySelectorAll('li')].map(li => li.textContent),
    ).toEqual([
      'build-info.yaml:2:11 unknown template "nodeServce"; did you mean "nodeService"?',
      'build-info.yaml:4:3 must be 20 or 22',
    ]);
    expect(
      screen.getByText('Error: build-info.yaml is invalid: 2 problems'),
    ).toBeInTheDocument();
  });

  it('shows the runs, the expanded pipeline and its other formats', async () => {
    const api = mockPipelinesApi();
    await renderContent(component(), api);
    expect(
      await screen.findByText('Add the refunds endpoint'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('figure', { name: 'Duration of master' }),
    ).toHaveTextContent('master: 0% succeeded (0 of 1)');
    expect(screen.getByText('Expanded from template')).toHaveTextContent(
      'Expanded from template nodeService',
    );
    expect(
      screen.getByRole('list', { name: 'Template options' }),
    ).toHaveTextContent('nodeVersion: 22');
    expect(
      screen.getByRole('tabpanel', { name: 'Pipeline' }),
    ).toHaveTextContent('pipeline: master');
    await userEvent.click(screen.getByRole('tab', { name: 'Argo Workflows' }));
    expect(
      await screen.findByRole('tabpanel', { name: 'Argo Workflows' }),
    ).toHaveTextContent('kind: Workflow');
    await userEvent.click(screen.getByRole('tab', { name: 'GitHub Actions' }));
    expect(
      await screen.findByRole('tabpanel', { name: 'GitHub Actions' }),
    ).toHaveTextContent('on: push');
  });

  it('reports other backend errors without hiding the runs', async () => {
    const api = mockPipelinesApi({
      getExpandedPipeline: jest.fn(async () => {
        throw new Error('the pipelines backend is restarting');
      }),
    });
    await renderContent(component(), api);
    expect(
      await screen.findByText('Error: the pipelines backend is restarting'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Add the refunds endpoint'),
    ).toBeInTheDocument();
  });

  it('treats a NotFoundError as a missing build-info.yaml', async () => {
    const api = mockPipelinesApi({
      getExpandedPipeline: jest.fn(async () => {
        throw new NotFoundError('no build-info.yaml');
      }),
    });
    await renderContent(component(), api);
    expect(await screen.findByText('No build-info.yaml')).toBeInTheDocument();
  });
});
