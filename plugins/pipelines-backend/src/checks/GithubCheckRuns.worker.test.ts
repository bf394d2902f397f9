import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  PipelineDefinition,
  RunStatus,
} from '@gitops/plugin-pipelines-common';
import type {
  ExecutionRequest,
  PipelineExecutor,
  RunReporter,
} from '@gitops/plugin-pipelines-node';
import { migrateStore } from '../database/migrations';
import { RunStore } from '../database/RunStore';
import { RunWorker } from '../runtime/RunWorker';
import { DEFAULT_LOG_LIMITS } from '../runtime/StoreReporter';
import { FakeGithub } from './__testUtils__/fakeGithub';
import { GithubCheckRuns } from './GithubCheckRuns';

jest.setTimeout(60_000);

const TOKEN = 'ghs_workerTestToken456';
const SHA = 'c'.repeat(40);
// The store is plain knex; SQLite is enough to check what it hands over.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const definition: PipelineDefinition = {
  pipeline: 'Master build',
  ref: 'master',
  stages: [
    {
      stage: 'Build',
      tasks: [
        {
          task: 'npm',
          steps: [
            { action: 'action-containers/node22:latest', args: ['ci'] },
            { action: 'action-containers/node22:latest', args: ['test'] },
          ],
        },
      ],
    },
  ],
};

/** Installs, then fails two tests. */
class FailingTestsExecutor implements PipelineExecutor {
  readonly id = 'scripted';
  async execute(request: ExecutionRequest, reporter: RunReporter) {
    const [install, test] = request.steps;
    await reporter.stepStarted(install.id);
    await reporter.stepFinished(install.id, {
      status: 'succeeded',
      exitCode: 0,
    });
    await reporter.stepStarted(test.id);
    await reporter.stepFinished(test.id, {
      status: 'failed',
      exitCode: 1,
      message: 'npm test exited with code 1',
      tests: {
        passed: 7,
        failed: 2,
        skipped: 0,
        failures: [
          { suite: 'cart', name: 'adds an item', message: 'expected 2' },
          { suite: 'cart', name: 'removes an item' },
        ],
      },
    });
    return { status: 'failed' as const };
  }
}

describe('GithubCheckRuns with the run worker and store', () => {
  let github: FakeGithub;
  let worker: RunWorker | undefined;

  beforeEach(async () => {
    github = new FakeGithub(TOKEN);
  });
  afterEach(async () => {
    await worker?.stop();
    await github.stop();
  });

  /** Queues a run of `cloneUrl` and lets the worker fail it with its tests. */
  async function failRun(cloneUrl: string) {
    const apiBaseUrl = await github.start();
    const knex = await databases.init('SQLITE_3');
    await migrateStore(mockServices.database({ knex }));
    const store = new RunStore(knex);
    const logger = mockServices.logger.mock();
    const checks = GithubCheckRuns.fromConfig(
      new ConfigReader({
        app: { baseUrl: 'http://localhost:3000' },
        integrations: {
          github: [{ host: 'github.com', apiBaseUrl, token: TOKEN }],
        },
      }),
      { logger, runs: store },
    );
    const statuses: RunStatus[] = [];
    let resolveFinished: () => void;
    const finished = new Promise<void>(r => {
      resolveFinished = r;
    });
    worker = new RunWorker({
      store,
      executor: new FailingTestsExecutor(),
      logger,
      instanceId: 'a',
      maxConcurrentRuns: 1,
      logLimits: DEFAULT_LOG_LIMITS,
      timings: {
        pollMs: 100,
        heartbeatMs: 100,
        staleMs: 5000,
        stopGraceMs: 200,
      },
      onChange: run => {
        statuses.push(run.status);
        checks.onChange(run);
        if (run.status === 'failed') resolveFinished();
      },
    });

    const { run } = await store.createRun({
      entityRef: 'component:default/shop',
      pipeline: 'Master build',
      triggerKey: 'delivery-1',
      trigger: { kind: 'push', ref: 'master', sha: SHA },
      cloneUrl,
      executor: 'scripted',
      definition,
    });
    // What the plugin's onRunsCreated does.
    checks.onChange(run);
    worker.start();
    await finished;
    await checks.drain();

    return { run, logger, statuses };
  }

  it('reports a run from queued to failed, with its tests', async () => {
    const { run, logger, statuses } = await failRun(
      'https://github.com/acme/shop.git',
    );
    expect(statuses).toContain('running');
    expect(github.checkRuns).toHaveLength(1);
    expect(github.invalid).toEqual([]);
    expect(github.requests.filter(r => r.method === 'POST')).toEqual([
      expect.objectContaining({
        path: '/repos/acme/shop/check-runs',
        body: expect.objectContaining({
          name: 'Master build',
          head_sha: SHA,
          external_id: run.id,
          details_url: `http://localhost:3000/catalog/default/component/shop/ci-cd/runs/${run.id}`,
        }),
      }),
    ]);
    expect(github.checkRuns[0]).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: {
        title: 'Failed: 2 of 9 tests failed',
        summary: expect.stringContaining(
          '- `cart › adds an item`: expected 2\n- `cart › removes an item`',
        ),
      },
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('leaves a run of the local hosting alone', async () => {
    const { statuses } = await failRun(
      'http://localhost:7007/api/githost/git/acme/shop.git',
    );
    expect(statuses).toEqual(expect.arrayContaining(['running', 'failed']));
    expect(github.requests).toEqual([]);
  });
});
