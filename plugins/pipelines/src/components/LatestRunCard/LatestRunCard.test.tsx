import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { pipelinesApiRef } from '../../api';
import {
  component,
  mockPipelinesApi,
  summary,
} from '../../__testUtils__/fixtures';
import { LatestRunCard } from './LatestRunCard';

jest.setTimeout(30_000);

describe('LatestRunCard', () => {
  it('shows the newest run of each pipeline, linked to its run page', async () => {
    const api = mockPipelinesApi({
      listRuns: jest.fn(async () => ({
        items: [
          summary({ id: 'r3', pipeline: 'review', status: 'running' }),
          summary({ id: 'r2', pipeline: 'master', status: 'succeeded' }),
          summary({ id: 'r1', pipeline: 'master', status: 'failed' }),
        ],
        totalCount: 3,
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[pipelinesApiRef, api]]}>
        <EntityProvider entity={component()}>
          <LatestRunCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'Latest builds' });
    const rows = within(table).getAllByRole('row');
    expect(
      rows.map(row => within(row).getAllByRole('cell')[1].textContent),
    ).toEqual(['succeeded', 'running']);
    expect(
      within(rows[0]).getByRole('link', { name: 'master' }),
    ).toHaveAttribute('href', expect.stringMatching(/ci-cd\/runs\/r2$/));
  });

  it('says that a component without build-info.yaml has no build', async () => {
    const api = mockPipelinesApi();
    await renderInTestApp(
      <TestApiProvider apis={[[pipelinesApiRef, api]]}>
        <EntityProvider entity={component({ 'gitops.io/descriptors': '' })}>
          <LatestRunCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        /No build-info.yaml: this component declares no build/,
      ),
    ).toBeInTheDocument();
    expect(api.listRuns).not.toHaveBeenCalled();
  });
});
