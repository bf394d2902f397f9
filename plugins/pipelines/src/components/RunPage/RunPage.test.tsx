import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { pipelinesApiRef } from '../../api';
import {
  component,
  failedRun,
  mockPipelinesApi,
  RUN_ID,
  STEP_IDS,
} from '../../__testUtils__/fixtures';
import { RunPage } from './RunPage';

// The LogViewer sizes itself to its container, which jsdom gives no size.
jest.mock('react-virtualized-auto-sizer', () => ({
  __esModule: true,
  default: (props: {
    children: (size: { width: number; height: number }) => unknown;
  }) => props.children({ width: 800, height: 480 }),
}));

async function renderRunPage(options: {
  api?: ReturnType<typeof mockPipelinesApi>;
  authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** The component's name: usePermission caches answers per entity. */
  name?: string;
}) {
  const api = options.api ?? mockPipelinesApi();
  const permissionApi = mockApis.permission({
    authorize: options.authorize ?? AuthorizeResult.ALLOW,
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [pipelinesApiRef, api],
        [permissionApiRef, permissionApi],
      ]}
    >
      <EntityProvider
        entity={
          options.name
            ? {
                ...component(),
                metadata: { ...component().metadata, name: options.name },
              }
            : component()
        }
      >
        <RunPage runId={RUN_ID} />
      </EntityProvider>
    </TestApiProvider>,
  );
  return { api };
}

// Rendering the app's providers and the lazy LogViewer takes a while on a
// loaded machine.
jest.setTimeout(30_000);

describe('RunPage', () => {
  it('shows the stage, task and step tree with each step status and duration', async () => {
    await renderRunPage({});
    const tree = await screen.findByRole(
      'navigation',
      { name: 'Steps' },
      { timeout: 10_000 },
    );
    const task = within(tree).getByRole('list', { name: 'Task node' });
    const steps = within(task).getAllByRole('button');
    expect(steps.map(step => step.textContent)).toEqual([
      'node22:latest npm cisucceeded 40s',
      'node22:latest npm testfailed 1m 50s · exit code 1 · exited with code 1',
      'image-publish:latestskipped —',
    ]);
  });

  it("opens on the failed step's log and names the failing tests", async () => {
    const { api } = await renderRunPage({});
    expect(
      await screen.findByText(
        /not ok 12 - refuses a refund above the order total/,
      ),
    ).toBeInTheDocument();
    expect(api.getStepLog).toHaveBeenCalledWith(RUN_ID, STEP_IDS.test, {
      offset: 0,
    });
    const failing = screen.getByRole('list', { name: 'Failing tests' });
    expect(failing).toHaveTextContent(
      'refunds › refuses a refund above the order total',
    );
    expect(failing).toHaveTextContent('Expected 400, received 201');
    expect(screen.getByLabelText('Test counts')).toHaveTextContent(
      '11 passed, 1 failed, 0 skipped',
    );
  });

  it('jumps back to the failed step after another was opened', async () => {
    await renderRunPage({});
    await screen.findByText(/not ok 12/);
    await userEvent.click(screen.getByRole('button', { name: /npm ci/ }));
    expect(await screen.findByText(/added 312 packages/)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Jump to the failed step' }),
    );
    expect(await screen.findByText(/not ok 12/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /npm test/ })).toHaveAttribute(
      'aria-current',
      'step',
    );
  });

  it('offers re-run and re-run failed when the trigger permission allows', async () => {
    const { api } = await renderRunPage({ authorize: AuthorizeResult.ALLOW });
    expect(
      await screen.findByRole('button', { name: 'Re-run' }),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Re-run failed' }),
    );
    expect(api.rerun).toHaveBeenCalledWith(RUN_ID, { fromFailed: true });
    expect(
      screen.queryByRole('button', { name: 'Cancel' }),
    ).not.toBeInTheDocument();
  });

  it('offers cancel while the run is running', async () => {
    const api = mockPipelinesApi({
      getRun: jest.fn(async () =>
        failedRun({ status: 'running', finishedAt: undefined }),
      ),
    });
    await renderRunPage({ api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel' }),
    );
    expect(api.cancel).toHaveBeenCalledWith(RUN_ID);
  });

  it('hides every trigger button when the permission is denied', async () => {
    // Another entity than the other tests': usePermission keeps the
    // answers it got per entity between renders.
    await renderRunPage({ authorize: AuthorizeResult.DENY, name: 'billing' });
    await screen.findByText(/not ok 12/);
    for (const name of ['Re-run', 'Re-run failed', 'Cancel']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });

  it('shows the positioned problems of an invalid build-info.yaml', async () => {
    const api = mockPipelinesApi({
      getRun: jest.fn(async () =>
        failedRun({
          stages: [],
          tests: undefined,
          message: 'build-info.yaml is invalid at this commit',
          problems: [
            {
              file: 'build-info.yaml',
              line: 3,
              column: 9,
              path: 'template.type',
              message: 'unknown template "nodeServce"',
            },
          ],
        }),
      ),
    });
    await renderRunPage({ api });
    const problems = await screen.findByRole('list', { name: 'Problems' });
    expect(problems).toHaveTextContent(
      'build-info.yaml:3:9 unknown template "nodeServce"',
    );
    expect(screen.getByText('No steps were run.')).toBeInTheDocument();
  });
});
