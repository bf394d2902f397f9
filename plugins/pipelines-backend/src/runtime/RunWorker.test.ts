import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@gitops/test-utils';
import type {
  PipelineDefinition,
  RunSummary,
} from '@gitops/plugin-pipelines-common';
import type {
  ExecutionRequest,
  PipelineExecutor,
  RunReporter,
} from '@gitops/plugin-pipelines-node';
import { migrateStore } from '../database/migrations';
import { RunStore } from '../database/RunStore';
import { RunWorker } from './RunWorker';
import { DEFAULT_LOG_LIMITS } from './StoreReporter';

jest.setTimeout(60_000);

const databases = createTestDatabases();

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

/** An executor that runs each step by a script of the test. */
class ScriptedExecutor implements PipelineExecutor {
  readonly id = 'scripted';
  readonly requests: ExecutionRequest[] = [];
  constructor(
    private readonly script: (
      request: ExecutionRequest,
      reporter: RunReporter,
    ) => Promise<'succeeded' | 'failed' | 'cancelled'>,
  ) {}
  async execute(request: ExecutionRequest, reporter: RunReporter) {
    this.requests.push(request);
    return { status: await this.script(request, reporter) };
  }
}

const waitFor = async <T>(
  probe: () => Promise<T | undefined>,
  what: string,
): Promise<T> => {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.each(databases.eachSupportedId())('RunWorker on %p', id => {
  const workers: RunWorker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map(w => w.stop()));
  });

  async function setup(
    executor: PipelineExecutor,
    options: {
      maxConcurrentRuns?: number;
      logLimits?: typeof DEFAULT_LOG_LIMITS;
      staleMs?: number;
    } = {},
  ) {
    const knex = await databases.init(id);
    await migrateStore(mockServices.database({ knex }));
    const store = new RunStore(knex);
    const changes: RunSummary[] = [];
    const start = (instanceId: string) => {
      const worker = new RunWorker({
        store,
        executor,
        logger: mockServices.logger.mock(),
        instanceId,
        maxConcurrentRuns: options.maxConcurrentRuns ?? 2,
        logLimits: options.logLimits ?? DEFAULT_LOG_LIMITS,
        timings: {
          pollMs: 100,
          heartbeatMs: 100,
          staleMs: options.staleMs ?? 1000,
          stopGraceMs: 200,
        },
        onChange: run => changes.push(run),
      });
      workers.push(worker);
      worker.start();
      return worker;
    };
    const queue = async (key: string) =>
      (
        await store.createRun({
          entityRef: 'component:default/svc',
          pipeline: 'Master build',
          triggerKey: key,
          trigger: { kind: 'push', ref: 'master', sha: 'b'.repeat(40) },
          cloneUrl: 'http://localhost/team-a/svc.git',
          executor: executor.id,
          definition,
        })
      ).run;
    const finished = (runId: string) =>
      waitFor(async () => {
        const run = await store.getRun(runId);
        return run && !['queued', 'running'].includes(run.status)
          ? run
          : undefined;
      }, `run ${runId} to finish`);
    return { store, start, queue, finished, changes };
  }

  it('runs a queued run: steps, logs and outcome stored, with the run environment', async () => {
    const executor = new ScriptedExecutor(async (request, reporter) => {
      for (const step of request.steps) {
        await reporter.stepStarted(step.id);
        await reporter.log(
          step.id,
          `running npm ${step.step.args!.join(' ')}\n`,
        );
        await reporter.stepFinished(step.id, {
          status: 'succeeded',
          exitCode: 0,
        });
      }
      return 'succeeded';
    });
    const { start, queue, finished, store, changes } = await setup(executor);
    const run = await queue('d-1');
    start('a');
    const done = await finished(run.id);
    expect(done.status).toBe('succeeded');
    expect(
      done.stages[0].tasks[0].steps.map(s => [s.status, s.exitCode]),
    ).toEqual([
      ['succeeded', 0],
      ['succeeded', 0],
    ]);
    const log = await store.readLog(
      run.id,
      done.stages[0].tasks[0].steps[1].id,
      0,
      1000,
    );
    expect(log?.text).toBe('running npm test\n');
    expect(executor.requests[0].env).toEqual({
      COMMIT_SHA: 'b'.repeat(40),
      BRANCH: 'master',
      BUILD_ID: run.id,
      COMPONENT: 'svc',
    });
    expect(changes.map(c => c.status)).toEqual(
      expect.arrayContaining(['running', 'succeeded']),
    );
  });

  it('never runs more than maxConcurrentRuns at once on an instance', async () => {
    let running = 0;
    let most = 0;
    const executor = new ScriptedExecutor(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise(r => setTimeout(r, 150));
      running--;
      return 'succeeded';
    });
    const { start, queue, finished } = await setup(executor, {
      maxConcurrentRuns: 2,
    });
    const runs = await Promise.all([1, 2, 3, 4, 5].map(i => queue(`d-${i}`)));
    start('a');
    for (const run of runs) await finished(run.id);
    expect(most).toBe(2);
    expect(executor.requests).toHaveLength(5);
  });

  it('two instances on one database run every run exactly once', async () => {
    const executor = new ScriptedExecutor(async () => {
      await new Promise(r => setTimeout(r, 20));
      return 'succeeded';
    });
    const { start, queue, finished } = await setup(executor, {
      maxConcurrentRuns: 3,
    });
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => queue(`d-${i}`)),
    );
    start('a');
    start('b');
    for (const run of runs) await finished(run.id);
    const executed = executor.requests.map(r => r.runId).sort();
    expect(executed).toEqual(runs.map(r => r.id).sort());
  });

  it('caps a step log with a marker and keeps the run going', async () => {
    const executor = new ScriptedExecutor(async (request, reporter) => {
      const step = request.steps[0];
      await reporter.stepStarted(step.id);
      for (let i = 0; i < 100; i++)
        await reporter.log(step.id, 'x'.repeat(100));
      await reporter.stepFinished(step.id, { status: 'succeeded' });
      return 'succeeded';
    });
    const { start, queue, finished, store } = await setup(executor, {
      logLimits: { maxBytesPerStep: 1000, chunkBytes: 256, flushMs: 50 },
    });
    const run = await queue('d-1');
    start('a');
    const done = await finished(run.id);
    const stepId = done.stages[0].tasks[0].steps[0].id;
    const log = (await store.readLog(run.id, stepId, 0, 100_000))!;
    expect(log.text.startsWith('x'.repeat(1000))).toBe(true);
    expect(log.text).toMatch(
      /\[log truncated: the step printed more than 1000 bytes/,
    );
    expect(log.truncated).toBe(true);
  });

  it('cancels a running run through the store, from any instance', async () => {
    const executor = new ScriptedExecutor(
      request =>
        new Promise(resolve => {
          request.signal.addEventListener('abort', () => resolve('cancelled'));
        }),
    );
    const { start, queue, finished, store } = await setup(executor);
    const run = await queue('d-1');
    start('a');
    await waitFor(
      async () =>
        (await store.getRunSummary(run.id))?.status === 'running'
          ? true
          : undefined,
      'running',
    );
    // The request comes from another replica: only the store knows.
    await store.requestCancel(run.id);
    const done = await finished(run.id);
    expect(done.status).toBe('cancelled');
    expect(done.stages[0].tasks[0].steps.map(s => s.message)).toEqual([
      'not run: the build was cancelled',
      'not run: the build was cancelled',
    ]);
  });

  it('marks a run interrupted when its instance died, and another instance does not run it again', async () => {
    const hang = new ScriptedExecutor(async (request, reporter) => {
      await reporter.stepStarted(request.steps[0].id);
      await reporter.log(request.steps[0].id, 'half way\n');
      return new Promise(() => {});
    });
    const { start, queue, finished, store } = await setup(hang, {
      staleMs: 500,
    });
    const run = await queue('d-1');
    const dying = start('a');
    await waitFor(
      async () =>
        (
          await store.getRun(run.id)
        )?.stages[0].tasks[0].steps[0].logBytes
          ? true
          : undefined,
      'the log',
    );
    // kill -9: no more heartbeats, nothing finished.
    await dying.stop();
    start('b');
    const done = await finished(run.id);
    expect(done.status).toBe('interrupted');
    expect(done.message).toMatch(/re-run/);
    const stepId = done.stages[0].tasks[0].steps[0].id;
    expect((await store.readLog(run.id, stepId, 0, 100))?.text).toBe(
      'half way\n',
    );
    expect(hang.requests).toHaveLength(1);
  });

  it('fails a run whose executor throws, with the reason', async () => {
    const executor = new ScriptedExecutor(async () => {
      throw new Error('cluster unreachable');
    });
    const { start, queue, finished } = await setup(executor);
    const run = await queue('d-1');
    start('a');
    const done = await finished(run.id);
    expect(done).toMatchObject({
      status: 'failed',
      message: 'the scripted executor failed: Error: cluster unreachable',
    });
  });
});
