import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { pipelinesApiRef } from '../../api';
import { mockPipelinesApi, summary } from '../../__testUtils__/fixtures';
import { RunsTable } from './RunsTable';

const entity = { kind: 'Component', namespace: 'default', name: 'orders' };

jest.setTimeout(30_000);

describe('RunsTable', () => {
  it('shows the runs with commit message, author, trigger and duration', async () => {
    const api = mockPipelinesApi({
      listRuns: jest.fn(async () => ({
        items: [
          summary(),
          summary({
            id: 'r2',
            pipeline: 'review',
            status: 'running',
            durationMs: undefined,
            trigger: {
              kind: 'pull_request',
              ref: 'pr/12/merge',
              sha: 'abcdef0123456789',
              message: 'Try the new client',
              author: { name: 'Grace Hopper' },
            },
          }),
        ],
        totalCount: 2,
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[pipelinesApiRef, api]]}>
        <RunsTable entity={entity} pipelines={['master', 'review']} />
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'Runs' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(row =>
        within(row)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ),
    ).toEqual([
      [
        'failed',
        'master',
        'master',
        '3f2a9c4 Add the refunds endpointAda Lovelace',
        'push',
        expect.any(String),
        '2m 30s',
      ],
      [
        'running',
        'review',
        'pr/12/merge',
        'abcdef0 Try the new clientGrace Hopper',
        'pull request',
        expect.any(String),
        '—',
      ],
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'master' }),
    ).toHaveAttribute(
      'href',
      expect.stringMatching(/runs\/6f1c1f0e-8f5e-4d8e-9a55-0d6a1e2b7c01$/),
    );
  });

  it('asks the backend for the filtered page', async () => {
    const api = mockPipelinesApi({
      listRuns: jest.fn(async () => ({ items: [summary()], totalCount: 45 })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[pipelinesApiRef, api]]}>
        <RunsTable entity={entity} pipelines={['master', 'review']} />
      </TestApiProvider>,
    );
    await screen.findByText('Add the refunds endpoint');
    expect(screen.getByText('1-20 of 45')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(api.listRuns).toHaveBeenLastCalledWith(
      entity,
      expect.objectContaining({ offset: 20, limit: 20 }),
    );

    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'failed' }),
    );
    expect(api.listRuns).toHaveBeenLastCalledWith(entity, {
      pipeline: undefined,
      status: 'failed',
      ref: undefined,
      offset: 0,
      limit: 20,
    });

    await userEvent.type(screen.getByLabelText('Ref'), 'main');
    expect(api.listRuns).toHaveBeenLastCalledWith(
      entity,
      expect.objectContaining({ status: 'failed', ref: 'main', offset: 0 }),
    );
  });

  it('says when no run matches the filters', async () => {
    const api = mockPipelinesApi({
      listRuns: jest.fn(async () => ({ items: [], totalCount: 0 })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[pipelinesApiRef, api]]}>
        <RunsTable entity={entity} />
      </TestApiProvider>,
    );
    expect(await screen.findByText('No runs yet.')).toBeInTheDocument();
  });
});
