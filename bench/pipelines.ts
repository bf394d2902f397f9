/* eslint-disable no-console */
/**
 * Benchmark: the pipelines backend in motion, each figure beside a baseline
 * measured in the same run.
 *
 * - webhook intake: signed GitHub push deliveries, open loop at `--rate`
 *   per second for `--seconds` (some deliberately delivered twice), against
 *   the same open loop on the backend's readiness endpoint. Prints
 *   acknowledged/s, p50/p99 acknowledgement latency and the runs created
 *   against the unique deliveries sent. Targets: p99 at most 100 ms, no run
 *   lost, none duplicated.
 * - step overhead: a task of `--steps` trivial steps (`/bin/true` in the
 *   bubblewrap sandbox, stored by the run worker) against the same processes
 *   spawned directly. Target: at most 2x per step.
 * - log throughput: a step printing `--log-mb` MB to stdout, stored and
 *   followed over the follow route (server-sent events), against the same
 *   producer writing to a file. Targets: at most 3x, backend RSS growth
 *   under 50 MB.
 *
 *   npm run bench -- pipelines [--rate=200] [--seconds=30] [--duplicates=5]
 *     [--steps=50] [--rounds=3] [--log-mb=100] [--db=sqlite|postgres]
 *     [--only=intake|local]
 *
 * `--db=postgres` uses the PostgreSQL at PIPELINES_BENCH_POSTGRES_URL
 * (default postgresql://postgres@127.0.0.1:5432), in databases named with a
 * prefix of the run's own that are dropped at the end.
 *
 * Loopback only (the backends listen on 127.0.0.1; the runs clone a local
 * bare repository over file://), bounded in count (options with maxima) and
 * in time (each phase at most 5 minutes; a delivery not answered within
 * 10 s, GitHub's limit, counts as unanswered). Each backend is its own
 * process (Backstage's production `createBackend`, SQLite files in a
 * temporary folder or PostgreSQL), so its RSS is its own. The catalog is Backstage's in-memory
 * catalog service mock holding one component, and the UrlReader serves that
 * component's build-info.yaml per commit: the bench measures the pipelines
 * backend, not a catalog's ingestion or GitHub.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn, ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
// The component and repository of the plugin's tests: one catalog-info.yaml.
import {
  catalogInfo,
  entity,
  REPO,
} from '../plugins/pipelines-backend/src/__testUtils__/fixtures';

const PHASE_LIMIT_MS = 5 * 60_000;
/** GitHub gives up on a delivery not answered within 10 s. */
const DELIVERY_DEADLINE_MS = 10_000;
const ENTITY_RUNS = '/api/pipelines/entities/component/default/svc/runs';
/** A line of 64 bytes, repeated by `yes`, cut at the size asked for. */
const LOG_LINE =
  'pipelines bench log line 0123456789abcdefghijklmnopqrstuvwxyz.';

function option(name: string, fallback: number, min: number, max: number) {
  const arg = process.argv.find(a => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.split('=')[1]) : fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** What the parent tells a backend child, beside its app-config. */
interface ChildPlan {
  mode: 'intake' | 'local';
  /** build-info.yaml by commit; `*` for any commit. */
  buildInfo: Record<string, string>;
}

// --- the backend child ---------------------------------------------------

/**
 * The backend process: events (GitHub webhook ingress and router, the
 * delivery de-duplication), the pipelines plugin, an in-memory catalog of
 * one component and a UrlReader serving its build-info.yaml. In `intake`
 * mode runs complete at once (an executor that only reports); in `local`
 * mode the local executor runs them.
 */
async function child(configPath: string) {
  const { createBackend } = require('@backstage/backend-defaults');
  const {
    coreServices,
    createBackendModule,
    createServiceFactory,
  } = require('@backstage/backend-plugin-api');
  const { NotFoundError } = require('@backstage/errors');
  const {
    catalogServiceMock,
  } = require('@backstage/plugin-catalog-node/testUtils');
  const {
    pipelinesExecutorsExtensionPoint,
  } = require('@gitops/plugin-pipelines-node');

  const plan: ChildPlan = JSON.parse(
    fs.readFileSync(configPath, 'utf8'),
  ).benchPlan;
  process.argv.push('--config', configPath);

  const reader = {
    async readUrl(url: string) {
      const match = /\/blob\/([0-9a-f]{40})\/(.+)$/.exec(url);
      let text: string | undefined;
      if (match?.[2] === 'catalog-info.yaml') text = catalogInfo;
      if (match?.[2] === 'build-info.yaml') {
        text = plan.buildInfo[match[1]] ?? plan.buildInfo['*'];
      }
      if (!text) throw new NotFoundError(`${url} not found`);
      return { buffer: async () => Buffer.from(text!), etag: match![1] };
    },
    async readTree(url: string) {
      throw new NotFoundError(`${url} not found`);
    },
    async search(url: string) {
      throw new NotFoundError(`${url} not found`);
    },
  };

  const backend = createBackend();
  backend.add(require('@backstage/plugin-events-backend'));
  backend.add(require('@backstage/plugin-events-backend-module-github'));
  backend.add(require('@gitops/plugin-events-backend-module-github-dedup'));
  backend.add(require('@gitops/plugin-pipelines-backend'));
  backend.add(catalogServiceMock.factory({ entities: [entity] }));
  backend.add(
    createServiceFactory({
      service: coreServices.urlReader,
      deps: {},
      factory: () => reader,
    }),
  );
  if (plan.mode === 'intake') {
    backend.add(
      createBackendModule({
        pluginId: 'pipelines',
        moduleId: 'bench-instant-executor',
        register(env: any) {
          env.registerInit({
            deps: { executors: pipelinesExecutorsExtensionPoint },
            async init({ executors }: any) {
              executors.addExecutor({
                id: 'instant',
                async execute(req: any, reporter: any) {
                  for (const step of req.steps) {
                    await reporter.stepStarted(step.id);
                    await reporter.stepFinished(step.id, {
                      status: 'succeeded',
                    });
                  }
                  return { status: 'succeeded' };
                },
              });
            },
          });
        },
      }),
    );
  }
  await backend.start();
  console.log('ready');
}

// --- helpers of the parent ----------------------------------------------

function run(file: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd,
        timeout: PHASE_LIMIT_MS,
        env: {
          PATH: process.env.PATH,
          HOME: os.tmpdir(),
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_AUTHOR_NAME: 'Bench',
          GIT_AUTHOR_EMAIL: 'bench@example.com',
          GIT_COMMITTER_NAME: 'Bench',
          GIT_COMMITTER_EMAIL: 'bench@example.com',
          LC_ALL: 'C',
        },
      },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${file} ${args.join(' ')}: ${stderr}`))
          : resolve(String(stdout).trim()),
    );
  });
}

/** A bare repository with two commits (one per pipeline); their SHAs. */
async function seedRepository(bare: string, work: string) {
  fs.mkdirSync(work, { recursive: true });
  await run('git', ['init', '--quiet', '--initial-branch=main', work]);
  const shas: string[] = [];
  for (const name of ['steps', 'log']) {
    fs.writeFileSync(path.join(work, 'README.md'), `bench: ${name}\n`);
    await run('git', ['add', '.'], work);
    await run('git', ['commit', '--quiet', '-m', name], work);
    shas.push(await run('git', ['rev-parse', 'HEAD'], work));
  }
  await run('git', ['clone', '--quiet', '--bare', work, bare]);
  return { stepsSha: shas[0], logSha: shas[1] };
}

/** build-info.yaml (JSON is YAML) with one pipeline of one task. */
function buildInfo(
  name: string,
  steps: Array<{ action: string; args?: string[] }>,
) {
  return JSON.stringify({
    version: 2,
    pipelines: [
      {
        pipeline: name,
        ref: 'master',
        stages: [{ stage: 'bench', tasks: [{ task: 'bench', steps }] }],
      },
    ],
  });
}

/** A GitHub push event's body for the component's repository. */
function pushBody(sha: string, cloneUrl: string): string {
  return JSON.stringify({
    ref: 'refs/heads/main',
    before: `${'0'.repeat(39)}1`,
    after: sha,
    repository: {
      name: 'svc',
      full_name: 'team-a/svc',
      html_url: REPO,
      clone_url: cloneUrl,
      default_branch: 'main',
      master_branch: 'main',
      owner: { name: 'team-a', login: 'team-a' },
      private: false,
    },
    pusher: { name: 'bench', email: 'bench@example.com' },
    head_commit: {
      id: sha,
      message: 'Bench',
      timestamp: '2026-12-01T10:00:00Z',
      author: { name: 'Bench', email: 'bench@example.com' },
      committer: { name: 'Bench', email: 'bench@example.com' },
    },
    commits: [],
    deleted: false,
    created: false,
    forced: false,
  });
}

/** VmRSS and VmHWM (peak) of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Reply {
  status: number;
  body: string;
}

function request(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    /** Longest wait for the whole answer, queueing for a socket included. */
    deadlineMs?: number;
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const deadlineMs = options.deadlineMs ?? 60_000;
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${deadlineMs / 1000} s`)),
      deadlineMs,
    );
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}

async function getJson<T>(port: number, p: string, token: string): Promise<T> {
  const reply = await request(port, {
    path: p,
    headers: { authorization: `Bearer ${token}` },
  });
  if (reply.status !== 200) {
    throw new Error(`GET ${p}: ${reply.status} ${reply.body.slice(0, 300)}`);
  }
  return JSON.parse(reply.body) as T;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function until<T>(
  what: string,
  limitMs: number,
  probe: () => Promise<T | undefined>,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${limitMs} ms`);
    await sleep(everyMs);
  }
}

/** A backend child with its app-config; resolves once it listens. */
async function startBackend(
  dir: string,
  name: string,
  config: object,
): Promise<{ port: number; process: ChildProcess }> {
  const port = await freePort();
  const configPath = path.join(dir, `app-config.${name}.json`);
  const data = JSON.parse(JSON.stringify(config));
  data.backend = {
    ...data.backend,
    baseUrl: `http://localhost:${port}`,
    listen: { host: '127.0.0.1', port },
  };
  fs.writeFileSync(configPath, JSON.stringify(data));
  const backend = spawn(
    process.execPath,
    [
      ...process.execArgv,
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
      __filename,
      '--child',
      configPath,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`backend ${name} did not start in 2 minutes`)),
      120_000,
    );
    backend.stdout!.on('data', d => {
      out += d;
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    backend.on('exit', code => {
      clearTimeout(timer);
      reject(new Error(`backend ${name} exited ${code}`));
    });
  });
  backend.stdout!.resume();
  return { port, process: backend };
}

async function stopBackend(backend: ChildProcess) {
  if (backend.exitCode !== null) return;
  const exited = new Promise(resolve => backend.once('exit', resolve));
  backend.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (backend.exitCode === null) backend.kill('SIGKILL');
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

interface LoadResult {
  sent: number;
  ok: number;
  statuses: Record<string, number>;
  /** From the first request sent to the last answer. */
  elapsedMs: number;
  latencies: number[];
}

/**
 * Open loop: request i leaves at start + i/rate whatever the answers do;
 * the latency of each is from its own departure to its answer.
 */
async function openLoop(
  rate: number,
  seconds: number,
  expected: number,
  send: (i: number) => Promise<number>,
): Promise<LoadResult> {
  const total = rate * seconds;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  let ok = 0;
  const start = performance.now();
  let issued = 0;
  while (issued < total) {
    const due = Math.min(
      total,
      Math.floor(((performance.now() - start) * rate) / 1000) + 1,
    );
    for (; issued < due; issued++) {
      const i = issued;
      const t = performance.now();
      pending.push(
        send(i).then(
          status => {
            latencies.push(performance.now() - t);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === expected) ok++;
          },
          error => {
            latencies.push(Infinity);
            const key = `error: ${error.message}`;
            statuses[key] = (statuses[key] ?? 0) + 1;
          },
        ),
      );
    }
    if (performance.now() - start > PHASE_LIMIT_MS)
      throw new Error('took too long');
    await sleep(Math.max(1, Math.floor(1000 / rate / 2)));
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return { sent: total, ok, statuses, elapsedMs, latencies };
}

/** Milliseconds; an unanswered request (error, deadline) counts as infinite. */
const msText = (x: number) =>
  Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'no answer';
const ratioText = (a: number, b: number) =>
  Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a';

function describeLoad(r: LoadResult) {
  const acks = (r.ok * 1000) / r.elapsedMs;
  return `${acks.toFixed(0)}/s answered as expected, p50 ${msText(
    percentile(r.latencies, 50),
  )}, p99 ${msText(percentile(r.latencies, 99))}, max ${msText(
    percentile(r.latencies, 100),
  )}`;
}

/** A signed push delivery; resolves with the HTTP status. */
async function deliver(
  port: number,
  deliveryId: string,
  body: string,
  signature: string,
): Promise<number> {
  const reply = await request(port, {
    method: 'POST',
    path: '/api/events/http/github',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': signature,
    },
    body,
    deadlineMs: DELIVERY_DEADLINE_MS,
  });
  return reply.status;
}

interface RunSummaryLite {
  id: string;
  status: string;
  trigger: { deliveryId?: string; sha: string };
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}
interface RunPageLite {
  items: RunSummaryLite[];
  totalCount: number;
}
interface RunStepLite {
  id: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
  logBytes: number;
}
interface RunDetailLite extends RunSummaryLite {
  stages: Array<{ tasks: Array<{ steps: RunStepLite[] }> }>;
}

const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];
const ms = (iso?: string) => (iso ? Date.parse(iso) : NaN);

// --- the database -----------------------------------------------------------

const POSTGRES_URL =
  process.env.PIPELINES_BENCH_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';

/**
 * The backends' database: SQLite files (the embedded default) or
 * PostgreSQL (production), one database per plugin under a prefix of this
 * run's own, dropped afterwards.
 */
interface Database {
  name: string;
  config(label: string): object;
  cleanup(): Promise<void>;
}

function database(dir: string): Database {
  const kind =
    process.argv.find(a => a.startsWith('--db='))?.split('=')[1] ?? 'sqlite';
  if (kind === 'sqlite') {
    return {
      name: 'SQLite files',
      config: label => ({
        client: 'better-sqlite3',
        connection: { directory: path.join(dir, `db-${label}`) },
      }),
      cleanup: async () => {},
    };
  }
  if (kind !== 'postgres') throw new Error('--db must be sqlite or postgres');
  const prefix = `bench_pipelines_${crypto.randomBytes(4).toString('hex')}_`;
  return {
    name: `PostgreSQL (${POSTGRES_URL.replace(/\/\/[^@]*@/, '//')})`,
    config: label => ({
      client: 'pg',
      connection: POSTGRES_URL,
      prefix: `${prefix}${label}_`,
    }),
    async cleanup() {
      const knex = require('knex')({
        client: 'pg',
        connection: `${POSTGRES_URL}/postgres`,
      });
      try {
        const { rows } = await knex.raw(
          'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
          [prefix],
        );
        for (const { datname } of rows) {
          await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
        }
      } finally {
        await knex.destroy();
      }
    },
  };
}

// --- phase 1: webhook intake ----------------------------------------------

async function intake(dir: string, token: string, db: Database) {
  const rate = option('rate', 200, 1, 2000);
  const seconds = option('seconds', 30, 1, 120);
  const dupPercent = option('duplicates', 5, 0, 50);
  const secret = crypto.randomBytes(24).toString('hex');
  const { sign } = require('@octokit/webhooks-methods');
  const { port, process: backend } = await startBackend(dir, 'intake', {
    backend: {
      database: db.config('intake'),
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench' } },
        ],
      },
    },
    events: {
      useEventBus: 'never',
      modules: { github: { webhookSecret: secret } },
    },
    pipelines: {
      executor: 'instant',
      maxConcurrentRuns: 8,
      worker: { pollSeconds: 0.1 },
    },
    benchPlan: {
      mode: 'intake',
      buildInfo: { '*': buildInfo('Build', [{ action: 'bench/true' }]) },
    } satisfies ChildPlan,
  });
  try {
    const before = memory(backend.pid!);
    const body = pushBody('c'.repeat(40), `${REPO}.git`);
    const signature: string = await sign(secret, body);
    // Warm-up: a few of each, not counted.
    for (let i = 0; i < 20; i++) {
      await request(port, { path: '/.backstage/health/v1/readiness' });
      await deliver(port, `warm-${i}`, body, signature);
    }
    const warmRuns = 20;

    const health = await openLoop(rate, seconds, 200, async () => {
      const reply = await request(port, {
        path: '/.backstage/health/v1/readiness',
        deadlineMs: DELIVERY_DEADLINE_MS,
      });
      return reply.status;
    });

    // Every `every`-th request repeats a delivery sent a little earlier.
    const every =
      dupPercent > 0 ? Math.max(2, Math.round(100 / dupPercent)) : 0;
    const ids: string[] = [];
    const unique = new Set<string>();
    const acknowledged = new Set<string>();
    const hooks = await openLoop(rate, seconds, 202, async i => {
      let id: string;
      if (every && i % every === every - 1 && ids.length > 10) {
        id = ids[ids.length - 10];
      } else {
        id = crypto.randomUUID();
        ids.push(id);
      }
      unique.add(id);
      const status = await deliver(port, id, body, signature);
      if (status === 202) acknowledged.add(id);
      return status;
    });

    // Runs created: every unique delivery once (one pipeline), plus warm-up.
    const expected = unique.size + warmRuns;
    const drainStart = performance.now();
    let last = -1;
    let lastChange = Date.now();
    const count = await until(
      'runs created',
      PHASE_LIMIT_MS,
      async () => {
        const page = await getJson<RunPageLite>(
          port,
          `${ENTITY_RUNS}?limit=1`,
          token,
        );
        if (page.totalCount !== last) {
          last = page.totalCount;
          lastChange = Date.now();
        }
        if (page.totalCount >= expected) return page.totalCount;
        // Nothing new for 20 s: what is there is all there will be.
        return Date.now() - lastChange > 20_000 ? page.totalCount : undefined;
      },
      250,
    );
    const drainMs = performance.now() - drainStart;
    const seen = new Map<string, number>();
    for (let offset = 0; offset < count; offset += 100) {
      const page = await getJson<RunPageLite>(
        port,
        `${ENTITY_RUNS}?limit=100&offset=${offset}`,
        token,
      );
      for (const r of page.items) {
        const id = r.trigger.deliveryId ?? '';
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
    // Lost: acknowledged, yet no run. A delivery not acknowledged is
    // GitHub's to deliver again; whether it made a run is shown apart.
    const lost = [...acknowledged].filter(id => !seen.has(id)).length;
    const unanswered = [...unique].filter(id => !acknowledged.has(id));
    const unansweredWithRun = unanswered.filter(id => seen.has(id)).length;
    const duplicated = [...seen.values()].reduce((n, c) => n + c - 1, 0);
    const after = memory(backend.pid!);

    console.log(
      `webhook intake: open loop at ${rate}/s for ${seconds} s, ${dupPercent}% deliberate redeliveries`,
    );
    console.log(
      `  baseline GET /.backstage/health/v1/readiness: ${describeLoad(health)}`,
    );
    console.log(
      `  signed push deliveries (HTTP 202):           ${describeLoad(hooks)}`,
    );
    console.log(
      `  ratio p50 ${ratioText(
        percentile(hooks.latencies, 50),
        percentile(health.latencies, 50),
      )}, p99 ${ratioText(
        percentile(hooks.latencies, 99),
        percentile(health.latencies, 99),
      )}; statuses ${JSON.stringify(hooks.statuses)} (baseline ${JSON.stringify(
        health.statuses,
      )})`,
    );
    console.log(
      `  deliveries sent ${hooks.sent} (${unique.size} unique, ${
        hooks.sent - unique.size
      } redelivered); runs created ${
        count - warmRuns
      } (+${warmRuns} warm-up) in ${(drainMs / 1000).toFixed(
        1,
      )} s after the load; lost ${lost} of ${
        acknowledged.size
      } acknowledged, duplicated ${duplicated}${
        unanswered.length
          ? `; ${unanswered.length} unique deliveries not acknowledged within ${
              DELIVERY_DEADLINE_MS / 1000
            } s (${unansweredWithRun} of them made a run anyway)`
          : ''
      }`,
    );
    console.log(
      `  backend RSS: ${before.rss.toFixed(
        0,
      )} MB after start, peak ${after.peak.toFixed(0)} MB`,
    );
  } finally {
    await stopBackend(backend);
  }
}

// --- phases 2 and 3: the local executor -----------------------------------

function spawnTimed(
  file: string,
  args: string[],
  stdout: 'ignore' | number = 'ignore',
) {
  return new Promise<number>((resolve, reject) => {
    const t = performance.now();
    const p = spawn(file, args, { stdio: ['ignore', stdout, 'inherit'] });
    p.on('error', reject);
    p.on('exit', code =>
      code === 0
        ? resolve(performance.now() - t)
        : reject(new Error(`${file} exited ${code}`)),
    );
  });
}

async function local(dir: string, token: string, db: Database) {
  const steps = option('steps', 50, 1, 50);
  const rounds = option('rounds', 3, 1, 10);
  const logMb = option('log-mb', 100, 1, 500);
  const logBytes = logMb * 1_000_000;
  const script = `yes '${LOG_LINE}' | head -c ${logBytes}`;
  const bare = path.join(dir, 'svc.git');
  const { stepsSha, logSha } = await seedRepository(
    bare,
    path.join(dir, 'seed'),
  );
  const secret = crypto.randomBytes(24).toString('hex');
  const { sign } = require('@octokit/webhooks-methods');
  const { port, process: backend } = await startBackend(dir, 'local', {
    backend: {
      database: db.config('local'),
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench' } },
        ],
      },
    },
    events: {
      useEventBus: 'never',
      modules: { github: { webhookSecret: secret } },
    },
    pipelines: {
      executor: 'local',
      worker: { pollSeconds: 0.1 },
      logs: { maxBytesPerStep: logBytes + 16 * 1024 * 1024 },
      local: {
        workDir: path.join(dir, 'work'),
        stepTimeoutSeconds: 600,
        maxOutputBytes: logBytes + 16 * 1024 * 1024,
        actions: {
          'bench/true': { command: ['/bin/true'], description: 'does nothing' },
          'bench/sh': { command: ['/bin/sh'], description: 'a shell script' },
        },
      },
    },
    benchPlan: {
      mode: 'local',
      buildInfo: {
        [stepsSha]: buildInfo(
          'Steps',
          Array.from({ length: steps }, () => ({ action: 'bench/true' })),
        ),
        // A first trivial step takes the clone, so the log step is only itself.
        [logSha]: buildInfo('Log', [
          { action: 'bench/true' },
          { action: 'bench/sh', args: ['-c', script] },
        ]),
      },
    } satisfies ChildPlan,
  });
  const cloneUrl = `file://${bare}`;
  let pushes = 0;
  /** Pushes the commit; resolves with the run it created. */
  const push = async (sha: string) => {
    const body = pushBody(sha, cloneUrl);
    const status = await deliver(
      port,
      `bench-${++pushes}`,
      body,
      await sign(secret, body),
    );
    if (status !== 202) throw new Error(`push delivery answered ${status}`);
    return until('the run of a push', 60_000, async () => {
      const page = await getJson<RunPageLite>(
        port,
        `${ENTITY_RUNS}?sha=${sha}&limit=100`,
        token,
      );
      return page.items.find(r => r.trigger.deliveryId === `bench-${pushes}`);
    });
  };
  const finished = (runId: string) =>
    until(
      'the run to finish',
      PHASE_LIMIT_MS,
      async () => {
        const detail = await getJson<RunDetailLite>(
          port,
          `/api/pipelines/runs/${runId}`,
          token,
        );
        return FINISHED.includes(detail.status) ? detail : undefined;
      },
      50,
    );
  const stepsOf = (d: RunDetailLite) =>
    d.stages.flatMap(s => s.tasks.flatMap(t => t.steps));

  try {
    // --- step overhead
    // The sandbox alone: bwrap with the executor's own arguments, spawned
    // directly, splits the overhead into sandbox and bookkeeping.
    const {
      bwrapArguments,
      findBwrap,
    } = require('@gitops/plugin-pipelines-backend/src/local/sandbox');
    const bwrap: string = findBwrap();
    const sandboxDir = fs.mkdtempSync(path.join(dir, 'sandbox-'));
    const bwrapArgs: string[] = bwrapArguments({
      workspace: sandboxDir,
      argv: ['/bin/true'],
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/workspace' },
      readOnly: [],
      network: false,
    });
    const bare50: number[] = [];
    const sandbox50: number[] = [];
    const perStep: number[] = [];
    const firstStep: number[] = [];
    const wholeRun: number[] = [];
    // One warm-up run and one warm-up spawn series, not counted.
    await finished((await push(stepsSha)).id);
    for (let i = 0; i < steps; i++) await spawnTimed('/bin/true', []);
    for (let round = 0; round < rounds; round++) {
      let total = 0;
      for (let i = 0; i < steps; i++)
        total += await spawnTimed('/bin/true', []);
      bare50.push(total / steps);
      total = 0;
      for (let i = 0; i < steps; i++)
        total += await spawnTimed(bwrap, bwrapArgs);
      sandbox50.push(total / steps);
      const detail = await finished((await push(stepsSha)).id);
      const s = stepsOf(detail);
      if (detail.status !== 'succeeded') {
        throw new Error(
          `the steps run ${detail.status}: ${JSON.stringify(
            s.find(x => x.status !== 'succeeded'),
          )}`,
        );
      }
      // Step 1 holds the clone; the others are the step alone, back to back.
      const span = ms(s[s.length - 1].finishedAt) - ms(s[0].finishedAt);
      perStep.push(s.length > 1 ? span / (s.length - 1) : NaN);
      firstStep.push(ms(s[0].finishedAt) - ms(s[0].startedAt));
      wholeRun.push(ms(detail.finishedAt) - ms(detail.createdAt));
    }
    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const list = (xs: number[]) => xs.map(x => x.toFixed(1)).join(', ');
    console.log(
      `step overhead: a task of ${steps} steps running /bin/true in the sandbox, ${rounds} rounds (median)`,
    );
    console.log(
      `  baseline: /bin/true spawned directly ${median(bare50).toFixed(
        2,
      )} ms per process [${list(bare50)}]`,
    );
    console.log(
      `  the sandbox alone: bwrap with the executor's arguments spawned directly ${median(
        sandbox50,
      ).toFixed(2)} ms per process [${list(sandbox50)}], ratio ${(
        median(sandbox50) / median(bare50)
      ).toFixed(2)}x`,
    );
    console.log(
      `  pipeline: ${median(perStep).toFixed(
        2,
      )} ms per step (sandbox + bookkeeping) [${list(perStep)}], ratio ${(
        median(perStep) / median(bare50)
      ).toFixed(2)}x`,
    );
    console.log(
      `  step 1 with the clone ${median(firstStep).toFixed(
        0,
      )} ms; whole run from creation ${median(wholeRun).toFixed(0)} ms (${(
        median(wholeRun) / steps
      ).toFixed(1)} ms per step all in)`,
    );

    // --- log throughput
    const file = path.join(dir, 'log-baseline.txt');
    const fd = fs.openSync(file, 'w');
    let baselineMs: number;
    try {
      baselineMs = await spawnTimed('/bin/sh', ['-c', script], fd);
    } finally {
      fs.closeSync(fd);
    }
    const fileBytes = fs.statSync(file).size;
    fs.rmSync(file);

    try {
      // Peak RSS from here on (the kernel's high-water mark, reset).
      fs.writeFileSync(`/proc/${backend.pid}/clear_refs`, '5');
    } catch {
      // Not allowed here: the sampled maximum below still counts.
    }
    const before = memory(backend.pid!);
    let sampled = before.rss;
    const sampler = setInterval(() => {
      try {
        sampled = Math.max(sampled, memory(backend.pid!).rss);
      } catch {
        // the process ended
      }
    }, 50);
    const pushedAt = Date.now();
    const runSummary = await push(logSha);
    const detail0 = await getJson<RunDetailLite>(
      port,
      `/api/pipelines/runs/${runSummary.id}`,
      token,
    );
    const logStep = stepsOf(detail0)[1];
    const followed = await follow(port, token, runSummary.id, logStep.id);
    const followedAt = Date.now();
    const detail = await finished(runSummary.id);
    clearInterval(sampler);
    const after = memory(backend.pid!);
    const step = stepsOf(detail)[1];
    if (detail.status !== 'succeeded') {
      throw new Error(`the log run ${detail.status}: ${JSON.stringify(step)}`);
    }
    const stepMs = ms(step.finishedAt) - ms(step.startedAt);
    const followMs = followedAt - ms(step.startedAt);
    const mbps = (bytes: number, t: number) =>
      (bytes / 1e6 / (t / 1000)).toFixed(1);
    console.log(`log throughput: one step printing ${logMb} MB to stdout`);
    console.log(
      `  baseline: the same producer into a file ${baselineMs.toFixed(
        0,
      )} ms (${mbps(fileBytes, baselineMs)} MB/s, ${fileBytes} bytes)`,
    );
    console.log(
      `  pipeline: stored ${step.logBytes} bytes in ${stepMs.toFixed(
        0,
      )} ms (${mbps(step.logBytes, stepMs)} MB/s), ratio ${(
        stepMs / baselineMs
      ).toFixed(2)}x; followed over SSE ${followed.bytes} bytes in ${
        followed.events
      } events, done ${followMs.toFixed(0)} ms after the step started (${mbps(
        followed.bytes,
        followMs,
      )} MB/s), ratio ${(followMs / baselineMs).toFixed(
        2,
      )}x; push to followed end ${(followedAt - pushedAt).toFixed(0)} ms`,
    );
    console.log(
      `  backend RSS: ${before.rss.toFixed(0)} MB before, peak ${Math.max(
        after.peak,
        sampled,
      ).toFixed(0)} MB (kernel ${after.peak.toFixed(
        0,
      )}, sampled ${sampled.toFixed(0)}), growth ${(
        Math.max(after.peak, sampled) - before.rss
      ).toFixed(0)} MB`,
    );
  } finally {
    await stopBackend(backend);
  }
}

/** Reads a step's log over the follow route until its `end` event. */
function follow(
  port: number,
  token: string,
  runId: string,
  stepId: string,
): Promise<{ bytes: number; events: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/pipelines/runs/${runId}/steps/${stepId}/log/follow`,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
        },
        timeout: PHASE_LIMIT_MS,
      },
      res => {
        if (res.statusCode !== 200) {
          reject(new Error(`follow answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        let bytes = 0;
        let events = 0;
        let ended = false;
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            if (event.startsWith('event: log\n')) {
              const data = JSON.parse(event.slice(event.indexOf('data: ') + 6));
              bytes += Buffer.byteLength(data.text);
              events++;
            } else if (event.startsWith('event: end')) {
              ended = true;
            }
          }
        });
        res.on('end', () =>
          ended
            ? resolve({ bytes, events })
            : reject(new Error('follow ended without its end event')),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('follow timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function main() {
  if (process.argv[2] === '--child') {
    await child(process.argv[3]);
    return;
  }
  const only = process.argv.find(a => a.startsWith('--only='))?.split('=')[1];
  if (only && !['intake', 'local'].includes(only)) {
    throw new Error('--only must be intake or local');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelines-bench-'));
  const token = crypto.randomBytes(24).toString('hex');
  const db = database(dir);
  console.log(
    `pipelines bench: ${db.name}, ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')} at start`,
  );
  try {
    if (only !== 'local') await intake(dir, token, db);
    if (only !== 'intake') await local(dir, token, db);
  } finally {
    await db.cleanup();
    agent.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `load average at end ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
