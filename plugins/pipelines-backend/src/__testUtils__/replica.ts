/*
 * One backend replica for the exactly-once test: the real store, triggers
 * and worker of the pipelines plugin over a shared PostgreSQL database, with
 * an in-memory catalog and repository and an executor that appends the id
 * of every run it executes to a shared file. Deliveries come on stdin, one
 * JSON event per line, exactly as the events service would hand them over.
 *
 * Run with: node --require @backstage/cli-node/config/nodeTransform.cjs
 *   replica.ts <instance> <knex connection JSON> <executions file> [hang]
 *
 * With `hang`, the executor logs a line and never returns: the test kills
 * the process (kill -9) mid-step.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory from 'knex';
import { migrateStore } from '../database/migrations';
import { RunStore } from '../database/RunStore';
import { RunWorker } from '../runtime/RunWorker';
import { Triggers } from '../runtime/Triggers';
import { DEFAULT_LOG_LIMITS } from '../runtime/StoreReporter';
import { entity, REPO } from './fixtures';

/** The repository the replicas' deliveries are about (the fixtures' component). */
export const REPLICA_REPO = REPO;

async function main() {
  const [instance, connection, executions, mode] = process.argv.slice(2);
  const hang = mode === 'hang';
  const knex = knexFactory({
    client: 'pg',
    connection: JSON.parse(connection),
  });
  // Both replicas start together: one migrates, the other waits on knex's lock.
  await migrateStore({ getClient: async () => knex } as DatabaseService);
  const store = new RunStore(knex);
  const logger: LoggerService = {
    error: m => process.stderr.write(`${instance} error: ${m}\n`),
    warn: m => process.stderr.write(`${instance} warn: ${m}\n`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  const auth = {
    getOwnServiceCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: `plugin:${instance}` },
    }),
  } as unknown as AuthService;
  const catalogInfo =
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  owner: group:default/team-a\n  lifecycle: production\n';
  const worker = new RunWorker({
    store,
    executor: {
      id: 'recording',
      async execute(request, reporter) {
        fs.appendFileSync(executions, `${request.runId} ${instance}\n`);
        if (hang) {
          await reporter.stepStarted(request.steps[0].id);
          await reporter.log(request.steps[0].id, 'npm ci: half way\n');
          return new Promise(() => {});
        }
        for (const step of request.steps) {
          await reporter.stepStarted(step.id);
          await reporter.stepFinished(step.id, { status: 'succeeded' });
        }
        return { status: 'succeeded' };
      },
    },
    logger,
    instanceId: instance,
    maxConcurrentRuns: 2,
    logLimits: DEFAULT_LOG_LIMITS,
    timings: { pollMs: 50, heartbeatMs: 500, staleMs: 3_000 },
    onChange: () => {},
  });
  const triggers = new Triggers({
    store,
    catalog: catalogServiceMock({ entities: [entity] }),
    reader: {
      async readUrl(url: string) {
        const m = /\/blob\/[0-9a-f]{40}\/(.+)$/.exec(url);
        const text =
          m &&
          {
            'catalog-info.yaml': catalogInfo,
            'build-info.yaml': 'version: 2\ntemplate:\n  type: nodeService\n',
          }[m[1]];
        if (!text) throw new NotFoundError(url);
        return { buffer: async () => Buffer.from(text) };
      },
      async readTree(url: string) {
        throw new NotFoundError(url);
      },
      async search(url: string) {
        throw new NotFoundError(url);
      },
    },
    auth,
    logger,
    instanceId: instance,
    executorId: 'recording',
    onRunsCreated: () => worker.wake(),
  });
  worker.start();
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    await triggers.record(JSON.parse(line));
    // Deliveries are claimed by whichever replica gets there first.
    while ((await triggers.processPending()) > 0) {
      // more
    }
  }
  // stdin closed: drain what is left, then report.
  for (let idle = 0; idle < 20; ) {
    const handled = await triggers.processPending();
    idle = handled === 0 && worker.activeRuns.length === 0 ? idle + 1 : 0;
    await new Promise(r => setTimeout(r, 50));
  }
  await worker.stop();
  await knex.destroy();
  process.stdout.write('done\n');
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
