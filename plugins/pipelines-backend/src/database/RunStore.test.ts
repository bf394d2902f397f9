import crypto from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@gitops/test-utils';
import type { PipelineDefinition } from '@gitops/plugin-pipelines-common';
import { migrateStore } from './migrations';
import { NewRun, RunStore } from './RunStore';

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
    {
      stage: 'Deploy',
      tasks: [
        {
          task: 'deploy',
          steps: [{ action: 'action-containers/deploy:latest', args: ['x'] }],
        },
      ],
    },
  ],
};

const sha = 'a'.repeat(40);
const newRun = (over: Partial<NewRun> = {}): NewRun => ({
  entityRef: 'component:default/svc',
  pipeline: 'Master build',
  triggerKey: 'delivery-1',
  trigger: { kind: 'push', deliveryId: 'delivery-1', ref: 'master', sha },
  cloneUrl: 'http://localhost/team-a/svc.git',
  executor: 'local',
  definition,
  origin: { template: 'nodeService', options: { nodeVersion: 22 } },
  ...over,
});

describe.each(databases.eachSupportedId())('RunStore on %p', id => {
  async function setup(now: () => number = Date.now) {
    const knex = await databases.init(id);
    await migrateStore(mockServices.database({ knex }));
    return { knex, store: new RunStore(knex, now) };
  }

  it('records a delivery once, however often it arrives', async () => {
    const { store } = await setup();
    const event = {
      deliveryId: 'd-1',
      topic: 'github.push',
      payload: { a: 1 },
    };
    const results = await Promise.all([
      store.recordDelivery(event),
      store.recordDelivery(event),
      store.recordDelivery(event),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const first = await store.claimDeliveries('one', 10);
    const second = await store.claimDeliveries('two', 10);
    expect(first.map(d => d.deliveryId)).toEqual(['d-1']);
    expect(first[0].payload).toEqual({ a: 1 });
    expect(second).toEqual([]);
    await store.finishDelivery('d-1');
    expect(await store.deliveryState('d-1')).toEqual({ state: 'done' });
  });

  it('gives a released delivery another attempt, then fails it with the reason', async () => {
    const { store } = await setup();
    await store.recordDelivery({
      deliveryId: 'd-2',
      topic: 'github.push',
      payload: {},
    });
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect(await store.claimDeliveries('one', 10)).toHaveLength(1);
      await store.releaseDelivery('d-2', 'catalog unreachable', 2);
    }
    expect(await store.deliveryState('d-2')).toEqual({
      state: 'failed',
      error: 'catalog unreachable',
    });
    expect(await store.claimDeliveries('one', 10)).toEqual([]);
  });

  it('creates one run per trigger, entity and pipeline, even when asked concurrently', async () => {
    const { store } = await setup();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.createRun(newRun())),
    );
    expect(results.filter(r => r.created)).toHaveLength(1);
    expect(new Set(results.map(r => r.run.id)).size).toBe(1);
    // Another pipeline of the same delivery is another run.
    const review = await store.createRun(newRun({ pipeline: 'Review build' }));
    expect(review.created).toBe(true);
    const page = await store.listRuns(
      'component:default/svc',
      {},
      { offset: 0, limit: 10 },
    );
    expect(page.totalCount).toBe(2);
  });

  it('stores the tree of a run with its trigger, definition and origin', async () => {
    const { store } = await setup();
    const { run } = await store.createRun(
      newRun({
        trigger: {
          kind: 'push',
          deliveryId: 'delivery-1',
          ref: 'master',
          sha,
          message: 'Fix the greeting',
          author: { name: 'Ada', email: 'ada@example.com' },
        },
      }),
    );
    const detail = await store.getRun(run.id);
    expect(detail).toMatchObject({
      status: 'queued',
      pipeline: 'Master build',
      trigger: { message: 'Fix the greeting', author: { name: 'Ada' } },
      origin: { template: 'nodeService', options: { nodeVersion: 22 } },
      definition,
    });
    expect(
      detail!.stages.map(s => [
        s.name,
        s.tasks.map(t => t.steps.map(st => st.args)),
      ]),
    ).toEqual([
      ['Build', [[['ci'], ['test']]]],
      ['Deploy', [[['x']]]],
    ]);
  });

  it('lets exactly one of two instances claim a queued run', async () => {
    const { store } = await setup();
    await store.createRun(newRun());
    const [a, b] = await Promise.all([
      store.claimQueuedRun('instance-a'),
      store.claimQueuedRun('instance-b'),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const claimed = (a ?? b)!;
    expect(claimed.steps.map(s => s.step.args)).toEqual([
      ['ci'],
      ['test'],
      ['x'],
    ]);
    expect(await store.claimQueuedRun('instance-c')).toBeUndefined();
  });

  it('lists runs newest first, filtered and paginated', async () => {
    let t = 1_000;
    const { store } = await setup(() => t);
    for (let i = 0; i < 5; i++) {
      t += 1000;
      await store.createRun(
        newRun({
          triggerKey: `d-${i}`,
          pipeline: i % 2 ? 'Review build' : 'Master build',
          trigger: {
            kind: 'push',
            ref: i % 2 ? 'feature' : 'master',
            sha: `${i}`.repeat(40),
          },
        }),
      );
    }
    const all = await store.listRuns(
      'component:default/svc',
      {},
      { offset: 0, limit: 2 },
    );
    expect(all.totalCount).toBe(5);
    expect(all.items.map(r => r.trigger.sha[0])).toEqual(['4', '3']);
    const review = await store.listRuns(
      'component:default/svc',
      { pipeline: 'Review build' },
      { offset: 0, limit: 10 },
    );
    expect(review.items.map(r => r.trigger.ref)).toEqual([
      'feature',
      'feature',
    ]);
    const bySha = await store.listRuns(
      'component:default/svc',
      { sha: '2222' },
      { offset: 0, limit: 10 },
    );
    expect(bySha.items).toHaveLength(1);
    const other = await store.listRuns(
      'component:default/other',
      {},
      { offset: 0, limit: 10 },
    );
    expect(other.totalCount).toBe(0);
  });

  it('marks the runs of a backend that stopped beating as interrupted, keeping their logs', async () => {
    let t = 100_000;
    const { store } = await setup(() => t);
    await store.createRun(newRun());
    const run = (await store.claimQueuedRun('dead-instance'))!;
    await store.stepStarted(run.steps[0].id);
    await store.appendLog(run.steps[0].id, Buffer.from('installing...\n'));
    t += 5_000;
    expect(await store.reapInterrupted(20_000)).toEqual([]);
    t += 30_000;
    const reaped = await store.reapInterrupted(20_000);
    expect(reaped.map(r => [r.id, r.status])).toEqual([
      [run.id, 'interrupted'],
    ]);
    const detail = (await store.getRun(run.id))!;
    expect(detail.stages[0].tasks[0].steps.map(s => s.status)).toEqual([
      'interrupted',
      'skipped',
    ]);
    expect(detail.message).toMatch(/re-run/);
    const log = await store.readLog(run.id, run.steps[0].id, 0, 1000);
    expect(log).toMatchObject({ text: 'installing...\n', complete: true });
    // A live instance's run is left alone.
    await store.createRun(newRun({ triggerKey: 'other' }));
    const live = (await store.claimQueuedRun('live'))!;
    t += 30_000;
    await store.heartbeat('live', [live.id]);
    expect(await store.reapInterrupted(20_000)).toEqual([]);
  });

  it('reads logs by byte range without splitting a character', async () => {
    const { store } = await setup();
    await store.createRun(newRun());
    const run = (await store.claimQueuedRun('i'))!;
    const step = run.steps[0].id;
    await store.appendLog(step, Buffer.from('héllo\n'));
    await store.appendLog(step, Buffer.from('wörld\n'));
    // 'h' + 'é' (2 bytes): a range of 2 bytes stops before the é.
    const first = (await store.readLog(run.id, step, 0, 2))!;
    expect(first).toMatchObject({ text: 'h', nextOffset: 1, complete: false });
    const rest = (await store.readLog(run.id, step, first.nextOffset, 100))!;
    expect(rest.text).toBe('éllo\nwörld\n');
    await store.stepFinished(step, { status: 'succeeded', exitCode: 0 });
    const end = (await store.readLog(run.id, step, rest.nextOffset, 100))!;
    expect(end).toMatchObject({ text: '', complete: true });
    expect(await store.readLog(run.id, 'no-such-step', 0, 10)).toBeUndefined();
  });

  it('stores repetitive output compressed and reads any range of it back exactly', async () => {
    const { knex, store } = await setup();
    await store.createRun(newRun());
    const run = (await store.claimQueuedRun('i'))!;
    const step = run.steps[0].id;
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `line ${i} of a build log, much like the one before\n`,
    ).join('');
    const noise = crypto.randomBytes(64 * 1024).toString('base64');
    const printed = `${lines}${noise}\nbytes: ü€🚀\n`;
    const bytes = Buffer.from(printed);
    // Three chunks, as a step's writer stores them.
    const cuts = [0, 70_001, 150_003, bytes.length];
    for (let i = 0; i < 3; i++) {
      await store.appendLogAt(
        step,
        cuts[i],
        bytes.subarray(cuts[i], cuts[i + 1]),
      );
    }
    const rows = await knex('pipelines_log_chunks')
      .where({ step_id: step })
      .orderBy('offset')
      .select('length', 'encoding', 'data');
    expect(rows.map(r => Number(r.length))).toEqual([
      70_001,
      80_002,
      bytes.length - 150_003,
    ]);
    // The log lines shrink; no chunk is ever stored larger than printed.
    expect(rows[0].encoding).toBe('gzip');
    expect(Buffer.from(rows[0].data).length).toBeLessThan(70_001 / 5);
    for (const row of rows) {
      expect(Buffer.from(row.data).length).toBeLessThanOrEqual(
        Number(row.length),
      );
    }
    let text = '';
    let offset = 0;
    for (;;) {
      const range = (await store.readLog(run.id, step, offset, 33_333))!;
      if (range.nextOffset === offset) break;
      text += range.text;
      offset = range.nextOffset;
    }
    expect(text).toBe(printed);
    const middle = (await store.readLog(run.id, step, 69_990, 20))!;
    expect(middle.text).toBe(bytes.subarray(69_990, 70_010).toString());
  });

  it('cancels a queued run at once and flags a running one for its instance', async () => {
    const { store } = await setup();
    const queued = (await store.createRun(newRun())).run;
    const cancelled = await store.requestCancel(queued.id);
    expect(cancelled?.status).toBe('cancelled');
    await store.createRun(newRun({ triggerKey: 'two' }));
    const running = (await store.claimQueuedRun('i'))!;
    expect((await store.requestCancel(running.id))?.status).toBe('running');
    expect(await store.heartbeat('i', [running.id])).toEqual([running.id]);
  });

  it('sums the test reports of the steps and skips what never ran', async () => {
    const { store } = await setup();
    await store.createRun(newRun());
    const run = (await store.claimQueuedRun('i'))!;
    await store.stepFinished(run.steps[0].id, { status: 'succeeded' });
    await store.stepFinished(run.steps[1].id, {
      status: 'failed',
      exitCode: 1,
      tests: {
        passed: 3,
        failed: 1,
        skipped: 1,
        failures: [
          { suite: 'server', name: 'greets by name', message: 'expected Ada' },
        ],
      },
    });
    const finished = await store.finishRun(run.id, 'failed', 'a step failed');
    expect(finished.tests).toEqual({ passed: 3, failed: 1, skipped: 1 });
    const detail = (await store.getRun(run.id))!;
    expect(detail.tests?.failures).toEqual([
      { suite: 'server', name: 'greets by name', message: 'expected Ada' },
    ]);
    expect(detail.stages[1].tasks[0].steps[0]).toMatchObject({
      status: 'skipped',
      message: 'not run: an earlier step failed',
    });
    expect(detail.stages.map(s => s.status)).toEqual(['failed', 'skipped']);
  });

  it('deletes old logs and old runs by the retention settings', async () => {
    let t = 1_000_000;
    const { store } = await setup(() => t);
    await store.createRun(newRun());
    const run = (await store.claimQueuedRun('i'))!;
    await store.appendLog(run.steps[0].id, Buffer.from('old log\n'));
    await store.finishRun(run.id, 'succeeded');
    t += 10_000;
    const result = await store.applyRetention({ logsBefore: t - 5_000 });
    expect(result.logsDeleted).toBe(1);
    expect(await store.getRun(run.id)).toBeDefined();
    const gone = await store.applyRetention({ runsBefore: t - 5_000 });
    expect(gone.runsDeleted).toBe(1);
    expect(await store.getRun(run.id)).toBeUndefined();
  });
});
