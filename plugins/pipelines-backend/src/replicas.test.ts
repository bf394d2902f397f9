import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanupTempDirs,
  createTestDatabases,
  tempDir,
  testDatabaseIds,
} from '@gitops/test-utils';
import { REPLICA_REPO } from './__testUtils__/replica';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const postgres = testDatabaseIds().filter(id => id.startsWith('POSTGRES'));

afterAll(() => cleanupTempDirs());

const pushEvent = (i: number) => {
  const sha = i.toString(16).padStart(40, '0');
  return {
    topic: 'github.push',
    eventPayload: {
      ref: 'refs/heads/main',
      before: '1'.repeat(40),
      after: sha,
      repository: {
        name: 'svc',
        full_name: 'team-a/svc',
        html_url: REPLICA_REPO,
        clone_url: `${REPLICA_REPO}.git`,
        default_branch: 'main',
        master_branch: 'main',
        owner: { name: 'team-a', login: 'team-a' },
        private: false,
      },
      pusher: { name: 'ada', email: 'ada@example.com' },
      head_commit: {
        id: sha,
        message: `change ${i}`,
        timestamp: '2026-12-01T10:00:00Z',
        author: { name: 'Ada', email: 'ada@example.com' },
        committer: { name: 'Ada', email: 'ada@example.com' },
      },
      commits: [],
      deleted: false,
    },
    metadata: {
      'x-github-event': 'push',
      'x-github-delivery': `delivery-${i}`,
    },
  };
};

/** Starts a replica process; the caller writes deliveries to its stdin. */
function startReplica(
  instance: string,
  connection: unknown,
  executions: string,
  mode?: 'hang',
): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(__dirname, '__testUtils__', 'replica.ts'),
      instance,
      JSON.stringify(connection),
      executions,
      ...(mode ? [mode] : []),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', d => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve, reject) =>
    child.on('exit', (code, signal) =>
      code === 0 || signal === 'SIGKILL'
        ? resolve()
        : reject(new Error(`${instance} exited ${code}: ${stderr}`)),
    ),
  );
  return { child, exited };
}

// Two OS processes, each the pipelines plugin's store, triggers and worker,
// on one PostgreSQL database, both receiving every delivery (a webhook
// delivered to both replicas, and redelivered).
describe.each(postgres)('two backend processes on %p', id => {
  it('create and execute every run exactly once', async () => {
    const knex = await databases.init(id);
    const connection = knex.client.config.connection;
    const executions = path.join(
      tempDir('pipelines-replicas-'),
      'executions.txt',
    );
    fs.writeFileSync(executions, '');
    const deliveries = Array.from({ length: 15 }, (_, i) => pushEvent(i + 1));
    const replica = (instance: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            '--require',
            require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
            path.join(__dirname, '__testUtils__', 'replica.ts'),
            instance,
            JSON.stringify(connection),
            executions,
          ],
          { stdio: ['pipe', 'pipe', 'pipe'] },
        );
        let stderr = '';
        child.stderr.on('data', d => {
          stderr += d;
        });
        child.on('exit', code =>
          code === 0
            ? resolve()
            : reject(new Error(`${instance} exited ${code}: ${stderr}`)),
        );
        // Each replica gets every delivery, one of them twice.
        for (const d of [...deliveries, deliveries[0]]) {
          child.stdin.write(`${JSON.stringify(d)}\n`);
        }
        child.stdin.end();
      });
    await Promise.all([replica('replica-a'), replica('replica-b')]);

    const runs = await knex('pipelines_runs').select(
      'id',
      'status',
      'trigger_key',
      'pipeline',
    );
    // A push to the default branch runs the master build: one run per delivery.
    expect(runs).toHaveLength(deliveries.length);
    expect(new Set(runs.map(r => r.trigger_key)).size).toBe(deliveries.length);
    expect(runs.every(r => r.status === 'succeeded')).toBe(true);
    const lines = fs.readFileSync(executions, 'utf8').trim().split('\n');
    const executedIds = lines.map(l => l.split(' ')[0]);
    expect(executedIds.sort()).toEqual(runs.map(r => r.id).sort());
    // Each execution was by the replica whose claim won.
    expect(lines.every(l => /^\S+ replica-[ab]$/.test(l))).toBe(true);
  });
});

describe.each(postgres)('a backend killed mid-run on %p', id => {
  it('leaves the run interrupted after another process starts, with the log up to the kill', async () => {
    const knex = await databases.init(id);
    const connection = knex.client.config.connection;
    const executions = path.join(tempDir('pipelines-kill-'), 'executions.txt');
    fs.writeFileSync(executions, '');
    const poll = async <T>(
      probe: () => Promise<T | undefined>,
      what: string,
      ms: number,
    ) => {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const value = await probe().catch(() => undefined);
        if (value !== undefined) return value;
        await new Promise(r => setTimeout(r, 200));
      }
      throw new Error(`no ${what} within ${ms / 1000} s`);
    };

    const first = startReplica('doomed', connection, executions, 'hang');
    first.child.stdin!.write(`${JSON.stringify(pushEvent(1))}\n`);
    const step = await poll(
      async () =>
        (await knex('pipelines_steps').where('log_bytes', '>', 0).first()) ??
        undefined,
      'log from the running step',
      90_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(
      (await knex('pipelines_runs').where({ id: step.run_id }).first()).status,
    ).toBe('running');

    // The backend comes back (another process on the same database).
    const second = startReplica('restarted', connection, executions);
    const run = await poll(
      async () => {
        const row = await knex('pipelines_runs')
          .where({ id: step.run_id })
          .first();
        return row.status === 'interrupted' ? row : undefined;
      },
      'interrupted run',
      30_000,
    );
    second.child.stdin!.end();
    await second.exited;
    expect(run.message).toMatch(/re-run it/);
    const steps = await knex('pipelines_steps')
      .where({ run_id: step.run_id })
      .orderBy(['stage_index', 'task_index', 'step_index']);
    expect(steps[0].status).toBe('interrupted');
    expect(steps.slice(1).every(s => s.status === 'skipped')).toBe(true);
    const chunks = await knex('pipelines_log_chunks').where({
      step_id: step.id,
    });
    expect(Buffer.concat(chunks.map(c => Buffer.from(c.data))).toString()).toBe(
      'npm ci: half way\n',
    );
    // Nothing ran it again.
    expect(fs.readFileSync(executions, 'utf8').trim().split('\n')).toHaveLength(
      1,
    );
  });
});
