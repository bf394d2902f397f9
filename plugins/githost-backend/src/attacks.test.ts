/**
 * Issue 10's attacks on the local git hosting, each reproduced as an
 * attacker on the same machine would run it (the plain git client or raw
 * HTTP against the real plugin) and shown refused or bounded.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  GitRepositoryStore,
  GithubPushEventPayload,
} from '@gitops/plugin-githost-node';
import {
  cleanupTempDirs,
  createGitClient,
  createTestDatabases,
  tempDir,
} from '@gitops/test-utils';
import { githostPlugin } from './plugin';
import { GithostUrlReader } from './urlReader/GithostUrlReader';

jest.setTimeout(60_000);

// Every backend gets a database TestDatabases closes: Backstage never
// closes its SQLite connections, which would keep Jest's worker alive.
const databases = createTestDatabases();

const author = { name: 'Ada', email: 'ada@example.com' };
const user = mockCredentials.user.header();

type Knex = Awaited<ReturnType<ReturnType<typeof createTestDatabases>['init']>>;

/** The githost plugin on a real port, with extra `githost` config. */
async function startGithost(
  options: {
    githost?: Record<string, unknown>;
    root?: string;
    knex?: Knex;
    publish?: (event: EventParams) => Promise<void>;
  } = {},
) {
  const root = options.root ?? path.join(tempDir(), 'git');
  const published: EventParams[] = [];
  const backend = await startTestBackend({
    features: [
      githostPlugin,
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          githost: { root, allowAnonymousPush: true, ...options.githost },
        },
      }),
      mockServices.database.factory({
        knex: options.knex ?? (await databases.init('SQLITE_3')),
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => ({
          publish:
            options.publish ??
            (async (params: EventParams) => {
              published.push(params);
            }),
          subscribe: async () => {},
        }),
      }),
    ],
  });
  const port = backend.server.port();
  return {
    backend,
    root,
    port,
    base: `http://127.0.0.1:${port}/api/githost`,
    published,
    store: new GitRepositoryStore({ root }),
  };
}
type Env = Awaited<ReturnType<typeof startGithost>>;

async function eventually(check: () => boolean, what: string) {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  if (!check()) throw new Error(`Timed out waiting for ${what}`);
}

/** A repository with one commit on master, cloned into a work folder. */
async function seeded(env: Env, name: string, files: Record<string, string>) {
  const source = tempDir();
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
    fs.writeFileSync(path.join(source, file), content);
  }
  await env.store.create('team-a', name);
  const { after } = await env.store.commitDirectory('team-a', name, {
    sourceDir: source,
    branch: 'master',
    message: 'seed',
    author,
  });
  const client = createGitClient();
  const work = path.join(tempDir(), name);
  await client.git(['clone', `${env.base}/team-a/${name}.git`, work]);
  return { ...client, work, head: after };
}

afterAll(() => cleanupTempDirs());

describe('attack: a glob that backtracks (ReDoS) in a catalog location', () => {
  it('is answered in bounded time by the URL reader', async () => {
    const root = path.join(tempDir(), 'git');
    const store = new GitRepositoryStore({ root });
    await store.create('team-a', 'svc');
    const source = tempDir();
    fs.writeFileSync(path.join(source, `${'a'.repeat(200)}b`), 'x\n');
    fs.writeFileSync(path.join(source, 'aaaaaaaaaac'), 'kind: Component\n');
    await store.commitDirectory('team-a', 'svc', {
      sourceDir: source,
      branch: 'master',
      message: 'long name',
      author,
    });
    const reader = UrlReaders.create({
      config: new ConfigReader({
        backend: { baseUrl: 'http://localhost:7007' },
        githost: { root },
      }),
      logger: mockServices.logger.mock(),
      factories: [GithostUrlReader.factory],
    });
    // 8.8 s of a frozen event loop before (the old RegExp); now the
    // matcher is linear. The bound includes git listing the tree, on a
    // shared machine; the matching alone is checked at 100 ms in glob.test.ts.
    const start = performance.now();
    const result = await reader.search(
      'http://localhost:7007/api/githost/team-a/svc/blob/master/*a*a*a*a*a*a*a*a*a*ac',
    );
    expect(performance.now() - start).toBeLessThan(1000);
    expect(result.files.map(f => f.url)).toEqual([
      'http://localhost:7007/api/githost/team-a/svc/blob/master/aaaaaaaaaac',
    ]);
    await expect(
      reader.search(
        `http://localhost:7007/api/githost/team-a/svc/blob/master/${'{a,b}'.repeat(
          8,
        )}`,
      ),
    ).rejects.toThrow('Glob pattern expands to more than 64 alternatives');
  });
});

describe('attacks on the git and HTTP routes', () => {
  let env: Env;

  beforeAll(async () => {
    env = await startGithost({
      githost: {
        limits: { maxBlobBytes: 4096, maxRefsPerPush: 5 },
        branchProtection: {
          repositories: [
            { repository: 'team-a/unprotected', defaultBranch: false },
          ],
        },
      },
    });
  });
  afterAll(() => env.backend.stop());
  beforeEach(() => {
    env.published.length = 0;
  });

  it('refuses a request addressed to another host (DNS rebinding) on every route', async () => {
    await seeded(env, 'rebind', { 'a.txt': 'a\n' });
    const server = env.backend.server;
    const attempts = [
      request(server).get(
        '/api/githost/team-a/rebind.git/info/refs?service=git-receive-pack',
      ),
      request(server)
        .post('/api/githost/team-a/rebind.git/git-receive-pack')
        .send('0000'),
      request(server)
        .get('/api/githost/repositories')
        .set('Authorization', user),
      request(server)
        .get('/api/githost/team-a/rebind/blob/master/a.txt')
        .set('Authorization', user),
    ];
    for (const attempt of attempts) {
      const res = await attempt.set('Host', 'attacker.example:7007');
      expect(res.status).toBe(403);
      expect(res.text).toBe(
        'Refused: this backend answers requests addressed to http://localhost:7007, http://localhost:3000, not to host "attacker.example:7007"\n',
      );
    }
    // A web page elsewhere, even through the right host name.
    const cross = await request(server)
      .get('/api/githost/team-a/rebind.git/info/refs?service=git-upload-pack')
      .set('Host', 'localhost:7007')
      .set('Origin', 'http://attacker.example');
    expect(cross.status).toBe(403);
    expect(cross.text).toContain('not from "http://attacker.example"');

    // The configured names pass, with the app's origin for browsers.
    for (const host of ['localhost:7007', `127.0.0.1:${env.port}`]) {
      const ok = await request(server)
        .get('/api/githost/team-a/rebind/blob/master/a.txt')
        .set('Host', host)
        .set('Origin', 'http://localhost:3000')
        .set('Authorization', user);
      expect({ host, status: ok.status }).toEqual({ host, status: 200 });
    }
  });

  it('refuses a force-push and the deletion of the default branch, and allows both on other branches', async () => {
    const { git, run, work, head } = await seeded(env, 'protected', {
      'a.txt': 'a\n',
    });
    await git(['commit', '--amend', '-m', 'rewritten history'], work);
    const forced = await run(
      ['push', '--force', 'origin', 'HEAD:master'],
      work,
    );
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toContain('master (non-fast-forward)');
    const deleted = await run(['push', 'origin', ':master'], work);
    expect(deleted.code).not.toBe(0);
    expect(deleted.stderr).toContain('master (deletion prohibited)');
    expect(await env.store.listRefs('team-a', 'protected')).toEqual({
      'refs/heads/master': head,
    });

    // A feature branch may be force-pushed and deleted.
    await git(['push', 'origin', `${head}:refs/heads/feature`], work);
    await git(['push', '--force', 'origin', 'HEAD:feature'], work);
    await git(['push', 'origin', ':feature'], work);
    // A fast-forward of the default branch is a normal push.
    await git(['reset', '--hard', head], work);
    fs.writeFileSync(path.join(work, 'b.txt'), 'b\n');
    await git(['add', '.'], work);
    await git(['commit', '-m', 'fast-forward'], work);
    await git(['push', 'origin', 'HEAD:master'], work);

    // Per repository, the way GitHub's branch protection is configured.
    const other = await seeded(env, 'unprotected', { 'a.txt': 'a\n' });
    await other.git(['commit', '--amend', '-m', 'rewritten'], other.work);
    await other.git(['push', '--force', 'origin', 'HEAD:master'], other.work);
  });

  it('resolves refs unambiguously: a tag named like a branch does not shadow it', async () => {
    const { git, work, head } = await seeded(env, 'shadow', {
      'catalog-info.yaml': 'name: branch\n',
    });
    fs.writeFileSync(path.join(work, 'catalog-info.yaml'), 'name: evil\n');
    await git(['commit', '-am', 'evil'], work);
    await git(['tag', 'master'], work);
    await git(['push', 'origin', 'refs/tags/master'], work);

    const server = env.backend.server;
    const get = (url: string) =>
      request(server)
        .get(`/api/githost/team-a/shadow/${url}`)
        .set('Authorization', user);
    const ambiguous = await get('blob/master/catalog-info.yaml');
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.error.message).toBe(
      'Ref master of team-a/shadow is ambiguous: it names both a branch and a tag; use refs/heads/master or refs/tags/master',
    );
    expect((await get('tree/master')).status).toBe(409);
    expect((await get('blob/refs/heads/master/catalog-info.yaml')).text).toBe(
      'name: branch\n',
    );
    expect((await get('blob/refs/tags/master/catalog-info.yaml')).text).toBe(
      'name: evil\n',
    );
    expect((await get(`blob/${head}/catalog-info.yaml`)).text).toBe(
      'name: branch\n',
    );
    // Short commit ids are refused: only a full id is unambiguous.
    const short = await get(`blob/${head.slice(0, 7)}/catalog-info.yaml`);
    expect(short.status).toBe(404);
  });

  it('refuses a push of more refs than allowed, before git runs', async () => {
    const { git, run, work } = await seeded(env, 'many-refs', {
      'a.txt': 'a\n',
    });
    for (let i = 0; i < 6; i++) await git(['tag', `v${i}`], work);
    const push = await run(['push', 'origin', '--tags'], work);
    expect(push.code).not.toBe(0);
    expect(
      Object.keys(await env.store.listRefs('team-a', 'many-refs')),
    ).toEqual(['refs/heads/master']);
    // Five is within the limit.
    await git(['tag', '-d', 'v5'], work);
    await git(['push', 'origin', '--tags'], work);
  });

  it('streams blobs after checking their size, and refuses those over the limit', async () => {
    await seeded(env, 'big', {
      'small.txt': 'x'.repeat(4096),
      'big.bin': crypto.randomBytes(4097).toString('hex'),
    });
    const small = await request(env.backend.server)
      .get('/api/githost/team-a/big/blob/master/small.txt')
      .set('Authorization', user);
    expect(small.status).toBe(200);
    expect(small.headers['content-length']).toBe('4096');
    expect(small.text).toBe('x'.repeat(4096));
    const big = await request(env.backend.server)
      .get('/api/githost/team-a/big/blob/master/big.bin')
      .set('Authorization', user);
    expect(big.status).toBe(403);
    expect(big.body.error.message).toBe(
      'big.bin at master in team-a/big is 8194 bytes, more than the 4096 bytes served (githost.limits.maxBlobBytes)',
    );
  });

  it('answers unexpected failures without a stack trace or paths', async () => {
    // A repository folder that git cannot read.
    const broken = path.join(env.root, 'team-a', 'broken.git');
    fs.mkdirSync(broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'HEAD'), 'garbage\n');
    const res = await request(env.backend.server)
      .get('/api/githost/repositories/team-a/broken')
      .set('Authorization', user);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: {
        name: 'Error',
        message: 'The git hosting failed to answer; see the backend log',
      },
      response: { statusCode: 500 },
    });
    expect(res.text).not.toContain(env.root);
  });

  it('runs git without the user config: a hook set in ~/.gitconfig never runs', async () => {
    const home = tempDir();
    const hooks = path.join(home, 'hooks');
    const marker = path.join(home, 'hook-ran');
    fs.mkdirSync(hooks);
    fs.writeFileSync(
      path.join(hooks, 'post-receive'),
      `#!/bin/sh\ntouch ${marker}\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(home, '.gitconfig'),
      `[core]\n\thooksPath = ${hooks}\n`,
    );
    const { git, work } = await seeded(env, 'config', { 'a.txt': 'a\n' });
    const previous = process.env.HOME;
    process.env.HOME = home;
    try {
      fs.writeFileSync(path.join(work, 'b.txt'), 'b\n');
      await git(['add', '.'], work);
      await git(['commit', '-m', 'b'], work);
      await git(['push', 'origin', 'HEAD:master'], work);
    } finally {
      process.env.HOME = previous;
    }
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('attacks on push size and speed', () => {
  let env: Env;

  beforeAll(async () => {
    env = await startGithost({
      githost: { limits: { maxPushBytes: 64 * 1024 } },
    });
  });
  afterAll(() => env.backend.stop());

  it('refuses a push larger than maxPushBytes and keeps the refs', async () => {
    const { git, run, work, head } = await seeded(env, 'huge', {
      'a.txt': 'a\n',
    });
    fs.writeFileSync(
      path.join(work, 'blob.bin'),
      crypto.randomBytes(256 * 1024),
    );
    await git(['add', '.'], work);
    await git(['commit', '-m', 'huge'], work);
    const push = await run(['push', 'origin', 'HEAD:master'], work);
    expect(push.code).not.toBe(0);
    expect(await env.store.listRefs('team-a', 'huge')).toEqual({
      'refs/heads/master': head,
    });
    // Also when the body arrives chunked, without a length to check first.
    const chunked = await rawPush(env, 'huge', {
      chunks: [crypto.randomBytes(200 * 1024)],
    });
    expect(chunked).toEqual({
      status: 413,
      body: 'Push refused: larger than 65536 bytes (githost.limits.maxPushBytes)\n',
    });
  });

  it('cuts off a slow push while a normal push to the same repository proceeds', async () => {
    const { git, work } = await seeded(env, 'slow', { 'a.txt': 'a\n' });
    const slowStart = Date.now();
    // 20 bytes a second, far below the 10 KiB/s minimum.
    const slow = rawPush(env, 'slow', {
      chunks: Array.from({ length: 40 }, () => Buffer.from('0'.repeat(20))),
      intervalMs: 1000,
    });
    await new Promise(resolve => setTimeout(resolve, 1000));
    fs.writeFileSync(path.join(work, 'b.txt'), 'b\n');
    await git(['add', '.'], work);
    await git(['commit', '-m', 'normal'], work);
    const normalStart = Date.now();
    await git(['push', 'origin', 'HEAD:master'], work);
    expect(Date.now() - normalStart).toBeLessThan(5000);
    expect(await slow).toEqual({
      status: 408,
      body: expect.stringMatching(
        /^Push cut off: it sent \d+ bytes in the last 10 s, less than 10240 bytes per second \(githost.limits.minPushBytesPerSecond\)\n$/,
      ),
    });
    expect(Date.now() - slowStart).toBeLessThan(15000);
  });
});

describe('attack: a push that never ends', () => {
  it('is cut off after pushTimeoutSeconds even at a good rate', async () => {
    const env = await startGithost({
      githost: { limits: { pushTimeoutSeconds: 2 } },
    });
    try {
      await seeded(env, 'endless', { 'a.txt': 'a\n' });
      const start = Date.now();
      // 20 KiB a second, above the minimum rate, for longer than allowed.
      const result = await rawPush(env, 'endless', {
        chunks: Array.from({ length: 10 }, () => Buffer.alloc(20 * 1024, 48)),
        intervalMs: 1000,
      });
      expect(result).toEqual({
        status: 408,
        body: 'Push cut off: it took longer than 2 s (githost.limits.pushTimeoutSeconds)\n',
      });
      expect(Date.now() - start).toBeLessThan(6000);
    } finally {
      await env.backend.stop();
    }
  });
});

/** A receive-pack POST written by hand, chunked, at the pace given. */
function rawPush(
  env: Env,
  name: string,
  options: { chunks: Buffer[]; intervalMs?: number },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${env.base}/team-a/${name}.git/git-receive-pack`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-git-receive-pack-request',
          'Transfer-Encoding': 'chunked',
        },
      },
      res => {
        let body = '';
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', () => {
      // The server closes the connection after refusing: the answer counts.
    });
    let i = 0;
    const send = () => {
      if (req.destroyed) return;
      if (i < options.chunks.length) {
        req.write(options.chunks[i++]);
        setTimeout(send, options.intervalMs ?? 0);
      } else {
        req.end();
      }
    };
    send();
  });
}

describe.each(databases.eachSupportedId())(
  'attack: the backend dies during a push, on %p',
  id => {
    it('publishes the recorded push event after the restart, with its delivery id', async () => {
      const knex = await databases.init(id);
      const root = path.join(tempDir(), 'git');
      // The first process dies before it publishes anything.
      const first = await startGithost({
        root,
        knex,
        publish: async () => {
          throw new Error('killed');
        },
      });
      const { git, work } = await seeded(first, 'crash', { 'a.txt': 'a\n' });
      fs.writeFileSync(path.join(work, 'b.txt'), 'b\n');
      await git(['add', '.'], work);
      await git(['commit', '-m', 'pushed before the crash'], work);
      const pushed = await git(['rev-parse', 'HEAD'], work);
      await git(['push', 'origin', 'HEAD:master'], work);
      // Recorded before the push's response completed.
      const [row] = await knex('githost_push_events').select();
      expect(row).toMatchObject({ after: pushed, state: 'accepted' });
      await first.backend.stop();

      const second = await startGithost({ root, knex });
      try {
        await eventually(() => second.published.length > 0, 'the event');
        expect(second.published).toHaveLength(1);
        const [event] = second.published;
        expect(event.metadata?.['x-github-delivery']).toBe(row.delivery_id);
        expect(event.eventPayload as GithubPushEventPayload).toMatchObject({
          ref: 'refs/heads/master',
          after: pushed,
          commits: [
            expect.objectContaining({ message: 'pushed before the crash' }),
          ],
        });
      } finally {
        await second.backend.stop();
      }
    });
  },
);
