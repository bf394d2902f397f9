/* eslint-disable no-console */
/**
 * Benchmark: the local git hosting under 20 concurrent git clients, each
 * cloning a repository and pushing a commit, against the same operations
 * with plain `git` over the file system (`file://`, which runs the same
 * upload-pack and receive-pack without HTTP) on the same bare repository,
 * measured in the same run. Target: at most 2x plain git, and the backend's
 * RSS growing by less than 100 MB under that load.
 *
 *   npm run bench -- githost [--clients=20] [--rounds=3] [--files=300]
 *
 * Loopback only (the backend listens on 127.0.0.1), bounded in count
 * (clients x rounds) and in time (each phase at most 5 minutes). The backend
 * runs in its own process (Backstage's production `createBackend`, SQLite in
 * memory), so its RSS is its own; peak RSS is the kernel's high-water mark.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { execFile, spawn } from 'node:child_process';

const PHASE_LIMIT_MS = 5 * 60_000;

function option(name: string, fallback: number, max: number): number {
  const arg = process.argv.find(a => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.split('=')[1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`--${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

/** The backend process: the githost plugin on 127.0.0.1, nothing else. */
async function child(port: number, root: string) {
  const config = path.join(root, '..', 'app-config.bench.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: { host: '127.0.0.1', port },
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
      githost: { root, allowAnonymousPush: true },
    }),
  );
  process.argv.push('--config', config);
  const { createBackend } = require('@backstage/backend-defaults');
  const backend = createBackend();
  backend.add(require('@gitops/plugin-githost-backend'));
  await backend.start();
  console.log('ready');
}

function git(args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
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
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`git ${args.join(' ')}: ${stderr}`))
          : resolve(),
    );
  });
}

/** A bare repository with `files` source-like files (about 4 KB each). */
async function seed(bare: string, files: number, work: string) {
  fs.mkdirSync(work, { recursive: true });
  await git(['init', '--quiet', '--initial-branch=master', work]);
  for (let i = 0; i < files; i++) {
    const dir = path.join(work, 'src', `m${i % 20}`);
    fs.mkdirSync(dir, { recursive: true });
    const lines = Array.from(
      { length: 100 },
      (_, l) => `export const value${i}_${l} = ${i * l}; // line ${l}`,
    );
    fs.writeFileSync(path.join(dir, `file${i}.ts`), `${lines.join('\n')}\n`);
  }
  await git(['add', '.'], work);
  await git(['commit', '--quiet', '-m', 'seed'], work);
  await git(['init', '--quiet', '--bare', '--initial-branch=master', bare]);
  await git(['push', '--quiet', bare, 'master'], work);
}

/** `clients` concurrent clones, then as many concurrent pushes; `rounds` times. */
async function load(
  url: string,
  scratch: string,
  clients: number,
  rounds: number,
) {
  let cloneMs = 0;
  let pushMs = 0;
  for (let round = 0; round < rounds; round++) {
    const dirs = Array.from({ length: clients }, (_, c) =>
      path.join(scratch, `r${round}-c${c}`),
    );
    let start = Date.now();
    await Promise.all(dirs.map(dir => git(['clone', '--quiet', url, dir])));
    cloneMs += Date.now() - start;
    await Promise.all(
      dirs.map(async (dir, c) => {
        fs.writeFileSync(path.join(dir, `client-${c}.txt`), `round ${round}\n`);
        await git(['add', '.'], dir);
        await git(
          ['commit', '--quiet', '-m', `client ${c} round ${round}`],
          dir,
        );
      }),
    );
    start = Date.now();
    await Promise.all(
      dirs.map((dir, c) =>
        git(
          ['push', '--quiet', 'origin', `HEAD:refs/heads/c${c}-r${round}`],
          dir,
        ),
      ),
    );
    pushMs += Date.now() - start;
    if (cloneMs + pushMs > PHASE_LIMIT_MS) throw new Error('took too long');
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
  return { cloneMs, pushMs };
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

async function main() {
  if (process.argv[2] === '--child') {
    await child(Number(process.argv[3]), process.argv[4]);
    return;
  }
  const clients = option('clients', 20, 100);
  const rounds = option('rounds', 3, 20);
  const files = option('files', 300, 5000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'githost-bench-'));
  try {
    const root = path.join(dir, 'git');
    const bare = path.join(root, 'bench', 'repo.git');
    await seed(bare, files, path.join(dir, 'seed'));
    // The file-system baseline works on its own copy of the same repository.
    const plain = path.join(dir, 'plain.git');
    await git(['clone', '--quiet', '--bare', `file://${bare}`, plain]);

    const port = await freePort();
    const backend = spawn(
      process.execPath,
      [...process.execArgv, __filename, '--child', String(port), root],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      backend.stdout.on('data', d => {
        out += d;
        if (out.includes('ready')) resolve();
      });
      backend.on('exit', code => reject(new Error(`backend exited ${code}`)));
    });
    try {
      const before = memory(backend.pid!);
      const url = `http://127.0.0.1:${port}/api/githost/bench/repo.git`;
      // One warm-up clone each, so neither side pays first-run costs.
      await git(['clone', '--quiet', url, path.join(dir, 'warm-http')]);
      await git([
        'clone',
        '--quiet',
        `file://${plain}`,
        path.join(dir, 'warm-fs'),
      ]);
      const viaFs = await load(
        `file://${plain}`,
        path.join(dir, 'fs'),
        clients,
        rounds,
      );
      const viaHttp = await load(url, path.join(dir, 'http'), clients, rounds);
      const after = memory(backend.pid!);
      const ops = clients * rounds;
      const rate = (ms: number) => ((ops * 1000) / ms).toFixed(1);
      console.log(
        `githost: ${clients} concurrent clients x ${rounds} rounds, a repository of ${files} files`,
      );
      console.log(
        `  clone: plain git ${viaFs.cloneMs} ms (${rate(
          viaFs.cloneMs,
        )}/s), githost ${viaHttp.cloneMs} ms (${rate(
          viaHttp.cloneMs,
        )}/s), ratio ${(viaHttp.cloneMs / viaFs.cloneMs).toFixed(2)}x`,
      );
      console.log(
        `  push:  plain git ${viaFs.pushMs} ms (${rate(
          viaFs.pushMs,
        )}/s), githost ${viaHttp.pushMs} ms (${rate(
          viaHttp.pushMs,
        )}/s), ratio ${(viaHttp.pushMs / viaFs.pushMs).toFixed(2)}x`,
      );
      console.log(
        `  backend RSS: ${before.rss.toFixed(
          0,
        )} MB after start, peak ${after.peak.toFixed(0)} MB, growth ${(
          after.peak - before.rss
        ).toFixed(0)} MB`,
      );
    } finally {
      backend.kill('SIGTERM');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
