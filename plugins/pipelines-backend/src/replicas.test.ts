import { spawn } from 'node:child_process';
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
