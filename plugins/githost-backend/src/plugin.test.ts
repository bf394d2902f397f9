import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import { githostPlugin } from './plugin';
import {
  GitRepositoryStore,
  GithubPushEventPayload,
  ZERO_SHA,
} from '@gitops/plugin-githost-node';
import { cleanupTempDirs, createGitClient, tempDir } from '@gitops/test-utils';

jest.setTimeout(60_000);

// The push event record's database, closed by TestDatabases after the tests
// (Backstage never closes its own SQLite connections).
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * Waits until `count` events are published: they are recorded before a push
 * completes and published from that record just after the response.
 */
async function eventsPublished(published: EventParams[], count: number) {
  for (let i = 0; i < 100 && published.length < count; i++) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  expect(published).toHaveLength(count);
}

/** Starts the githost plugin on a real port with an observable events service. */
async function startGithost(options: { allowAnonymousPush: boolean }) {
  const root = path.join(tempDir(), 'git');
  const published: EventParams[] = [];
  const backend = await startTestBackend({
    features: [
      githostPlugin,
      mockServices.database.factory({
        knex: await databases.init('SQLITE_3'),
      }),
      // Requests without a token are anonymous (the mock's default is a user).
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          githost: { root, allowAnonymousPush: options.allowAnonymousPush },
        },
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (params: EventParams) => {
            published.push(params);
          },
          subscribe: async () => {},
        }),
      }),
    ],
  });
  const base = `http://127.0.0.1:${backend.server.port()}/api/githost`;
  return {
    backend,
    root,
    base,
    published,
    store: new GitRepositoryStore({ root }),
  };
}

afterAll(() => cleanupTempDirs());

describe('githost over git smart HTTP (anonymous push allowed)', () => {
  let env: Awaited<ReturnType<typeof startGithost>>;
  const { git, run } = createGitClient();

  beforeAll(async () => {
    env = await startGithost({ allowAnonymousPush: true });
    await env.store.create('team-a', 'svc');
    // A repository with content, independent of the push tests.
    const source = tempDir();
    fs.writeFileSync(
      path.join(source, 'catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: seeded\n',
    );
    await env.store.create('team-a', 'seeded', {
      description: 'A seeded repository',
    });
    await env.store.commitDirectory('team-a', 'seeded', {
      sourceDir: source,
      branch: 'master',
      message: 'seed',
      author: { name: 'Seeder', email: 'seeder@example.com' },
    });
  });
  afterAll(() => env.backend.stop());
  beforeEach(() => {
    env.published.length = 0;
  });

  it('clones, pushes a commit, publishes one github.push event, and a second clone sees it', async () => {
    const work = path.join(tempDir(), 'svc');
    await git(['clone', `${env.base}/team-a/svc.git`, work]);
    fs.writeFileSync(
      path.join(work, 'catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n',
    );
    await git(['add', '.'], work);
    await git(['commit', '-m', 'add catalog-info'], work);
    const head = await git(['rev-parse', 'HEAD'], work);
    const push = await run(['push', 'origin', 'HEAD:master'], work);
    expect(push.code).toBe(0);

    // Exactly one event, published from its record after the push.
    await eventsPublished(env.published, 1);
    const [event] = env.published;
    expect(event.topic).toBe('github.push');
    // GitHub's delivery headers, with a new delivery GUID per event.
    expect(event.metadata).toEqual({
      'x-github-event': 'push',
      'x-gitops-source': 'githost',
      'x-github-delivery': expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
    });
    const payload = event.eventPayload as GithubPushEventPayload;
    expect(payload).toMatchObject({
      ref: 'refs/heads/master',
      before: ZERO_SHA,
      after: head,
      created: true,
      deleted: false,
      forced: false,
      pusher: { name: 'anonymous' },
      repository: {
        name: 'svc',
        full_name: 'team-a/svc',
        owner: { login: 'team-a' },
        clone_url: 'http://localhost:7007/api/githost/team-a/svc.git',
        html_url: 'http://localhost:7007/api/githost/team-a/svc',
        default_branch: 'master',
      },
    });
    expect(payload.commits).toHaveLength(1);
    expect(payload.commits[0]).toMatchObject({
      id: head,
      message: 'add catalog-info',
      author: { name: 'Test User', email: 'test@example.com' },
      added: ['catalog-info.yaml'],
      removed: [],
      modified: [],
    });
    expect(payload.commits[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(payload.head_commit?.id).toBe(head);

    const second = path.join(tempDir(), 'svc2');
    await git(['clone', `${env.base}/team-a/svc.git`, second]);
    expect(await git(['rev-parse', 'HEAD'], second)).toBe(head);
    expect(
      fs.readFileSync(path.join(second, 'catalog-info.yaml'), 'utf8'),
    ).toContain('name: svc');
  });

  it('reports each pushed commit of an update, oldest first, with what it changed', async () => {
    const work = path.join(tempDir(), 'svc');
    await git(['clone', `${env.base}/team-a/svc.git`, work]);
    const before = await git(['rev-parse', 'HEAD'], work);
    fs.writeFileSync(path.join(work, 'README.md'), '# svc\n');
    await git(['add', '.'], work);
    await git(['commit', '-m', 'add readme'], work);
    fs.appendFileSync(path.join(work, 'catalog-info.yaml'), 'spec: {}\n');
    fs.rmSync(path.join(work, 'README.md'));
    await git(['commit', '-am', 'second change'], work);
    const after = await git(['rev-parse', 'HEAD'], work);
    await git(['push', 'origin', 'master'], work);

    await eventsPublished(env.published, 1);
    const payload = env.published[0].eventPayload as GithubPushEventPayload;
    expect(payload).toMatchObject({
      before,
      after,
      created: false,
      forced: false,
    });
    expect(payload.commits.map(c => c.message)).toEqual([
      'add readme',
      'second change',
    ]);
    expect(payload.commits[0].added).toEqual(['README.md']);
    expect(payload.commits[1].modified).toEqual(['catalog-info.yaml']);
    expect(payload.commits[1].removed).toEqual(['README.md']);
  });

  it('publishes a created and a deleted branch, and flags a force push', async () => {
    const work = path.join(tempDir(), 'svc');
    await git(['clone', `${env.base}/team-a/svc.git`, work]);
    const master = await git(['rev-parse', 'HEAD'], work);

    await git(['push', 'origin', 'HEAD:refs/heads/feature'], work);
    await eventsPublished(env.published, 1);
    expect(env.published[0].eventPayload).toMatchObject({
      ref: 'refs/heads/feature',
      before: ZERO_SHA,
      after: master,
      created: true,
      // Every commit was already on master.
      commits: [],
      head_commit: { id: master },
    });

    await git(['commit', '--amend', '-m', 'rewritten'], work);
    const rewritten = await git(['rev-parse', 'HEAD'], work);
    await git(['push', '--force', 'origin', 'HEAD:refs/heads/feature'], work);
    await eventsPublished(env.published, 2);
    expect(env.published[1].eventPayload).toMatchObject({
      ref: 'refs/heads/feature',
      before: master,
      after: rewritten,
      forced: true,
    });

    await git(['push', 'origin', ':refs/heads/feature'], work);
    await eventsPublished(env.published, 3);
    expect(env.published[2].eventPayload).toMatchObject({
      ref: 'refs/heads/feature',
      before: rewritten,
      after: ZERO_SHA,
      deleted: true,
      commits: [],
      head_commit: null,
    });
    expect(env.published).toHaveLength(3);
    // Every event is its own delivery.
    const deliveries = env.published.map(
      e => e.metadata?.['x-github-delivery'],
    );
    expect(new Set(deliveries).size).toBe(3);
  });

  it('answers 404 for a repository that does not exist', async () => {
    const result = await run(['ls-remote', `${env.base}/team-a/nope.git`]);
    expect(result.code).not.toBe(0);
    const res = await request(env.backend.server).get(
      '/api/githost/team-a/nope.git/info/refs?service=git-upload-pack',
    );
    expect(res.status).toBe(404);
    expect(res.text).toContain('team-a/nope not found');
  });

  it('refuses path traversal before touching the disk', async () => {
    // A real repository just outside the root: reachable only through '..'.
    const outside = path.join(path.dirname(env.root), 'evil.git');
    await createGitClient().git(['init', '--bare', outside]);
    for (const url of [
      '/api/githost/..%2f..%2fetc/passwd.git/info/refs?service=git-upload-pack',
      '/api/githost/%2e%2e/evil.git/info/refs?service=git-upload-pack',
      '/api/githost/%2E%2E/evil.git/git-upload-pack',
      '/api/githost/team-a/%2e%2e%2fevil.git/info/refs?service=git-upload-pack',
      '/api/githost/%2fetc/passwd.git/info/refs?service=git-upload-pack',
    ]) {
      const res = await (url.includes('/info/refs')
        ? request(env.backend.server).get(url)
        : request(env.backend.server).post(url).send('0000'));
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.text).not.toContain('# service=git-upload-pack');
    }
    // Raw '..' segments do not even match the anonymous git paths.
    const raw = await request(env.backend.server).get(
      '/api/githost/../../evil.git/info/refs?service=git-upload-pack',
    );
    expect([400, 401, 404]).toContain(raw.status);
    expect(raw.text).not.toContain('# service=git-upload-pack');
  });

  it("negotiates git's protocol v2 when the client asks for it", async () => {
    const res = await request(env.backend.server)
      .get('/api/githost/team-a/seeded.git/info/refs?service=git-upload-pack')
      .set('Git-Protocol', 'version=2');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/x-git-upload-pack-advertisement',
    );
    expect(res.text).toContain('version 2');
  });

  it('serves a gzip-compressed upload-pack request, as git clients send large ones', async () => {
    const head = (await env.store.describe('team-a', 'seeded')).headCommit!;
    const pktLine = (s: string) =>
      (s.length + 4).toString(16).padStart(4, '0') + s;
    const body = zlib.gzipSync(
      Buffer.from(`${pktLine(`want ${head}\n`)}0000${pktLine('done\n')}`),
    );
    const res = await request(env.backend.server)
      .post('/api/githost/team-a/seeded.git/git-upload-pack')
      .set('Content-Type', 'application/x-git-upload-pack-request')
      .set('Content-Encoding', 'gzip')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .send(body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/x-git-upload-pack-result',
    );
    expect((res.body as Buffer).includes(Buffer.from('PACK'))).toBe(true);
  });

  it('requires Backstage credentials for the JSON API and raw files', async () => {
    const server = env.backend.server;
    for (const url of [
      '/api/githost/repositories',
      '/api/githost/repositories/team-a/seeded',
      '/api/githost/team-a/seeded/blob/master/catalog-info.yaml',
    ]) {
      expect((await request(server).get(url)).status).toBe(401);
    }

    const list = await request(server)
      .get('/api/githost/repositories')
      .set('Authorization', mockCredentials.user.header());
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ owner: 'team-a', name: 'seeded' }),
      expect.objectContaining({ owner: 'team-a', name: 'svc' }),
    ]);

    const one = await request(server)
      .get('/api/githost/repositories/team-a/seeded')
      .set('Authorization', mockCredentials.service.header());
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      owner: 'team-a',
      name: 'seeded',
      fullName: 'team-a/seeded',
      defaultBranch: 'master',
      headCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
      description: 'A seeded repository',
      cloneUrl: 'http://localhost:7007/api/githost/team-a/seeded.git',
      htmlUrl: 'http://localhost:7007/api/githost/team-a/seeded',
    });

    // The OpenAPI spec documents exactly the fields the API answers with.
    const spec = fs.readFileSync(
      path.join(__dirname, 'schema', 'openapi.yaml'),
      'utf8',
    );
    expect(spec).toContain('  /repositories:');
    expect(spec).toContain('  /repositories/{owner}/{name}:');
    const required = spec
      .match(
        / {4}Repository:\n {6}type: object\n {6}required:\n((?: {8}- \w+\n)+)/,
      )![1]
      .split('\n')
      .map(line => line.replace('- ', '').trim())
      .filter(Boolean)
      .sort();
    expect(Object.keys(one.body).sort()).toEqual(required);

    const missing = await request(server)
      .get('/api/githost/repositories/team-a/nope')
      .set('Authorization', mockCredentials.user.header());
    expect(missing.status).toBe(404);

    const blob = await request(server)
      .get('/api/githost/team-a/seeded/blob/master/catalog-info.yaml')
      .set('Authorization', mockCredentials.user.header());
    expect(blob.status).toBe(200);
    expect(blob.text).toContain('kind: Component');
    expect(blob.headers['x-content-type-options']).toBe('nosniff');

    const tree = await request(server)
      .get('/api/githost/team-a/seeded/tree/master')
      .set('Authorization', mockCredentials.user.header());
    expect(tree.status).toBe(200);
    expect(tree.body.entries.map((e: { path: string }) => e.path)).toContain(
      'catalog-info.yaml',
    );

    const escape = await request(server)
      .get('/api/githost/team-a/seeded/blob/master/..%2f..%2fetc/passwd')
      .set('Authorization', mockCredentials.user.header());
    expect(escape.status).toBe(400);
  });
});

describe('githost with anonymous push refused (the default)', () => {
  let env: Awaited<ReturnType<typeof startGithost>>;
  const { git, run } = createGitClient();

  beforeAll(async () => {
    env = await startGithost({ allowAnonymousPush: false });
    await env.store.create('team-a', 'svc');
  });
  afterAll(() => env.backend.stop());

  it('still serves clones but refuses pushes with 403 and publishes nothing', async () => {
    const work = path.join(tempDir(), 'svc');
    await git(['clone', `${env.base}/team-a/svc.git`, work]);
    fs.writeFileSync(path.join(work, 'a.txt'), 'a\n');
    await git(['add', '.'], work);
    await git(['commit', '-m', 'a'], work);
    const push = await run(['push', 'origin', 'HEAD:master'], work);
    expect(push.code).not.toBe(0);
    // git shows the plain-text answer to the user.
    expect(push.stderr).toContain(
      'remote: Pushing to team-a/svc over HTTP is disabled on this Backstage (githost.allowAnonymousPush is false)',
    );
    expect(push.stderr).toContain('403');
    expect(await env.store.listRefs('team-a', 'svc')).toEqual({});
    expect(env.published).toEqual([]);

    const res = await request(env.backend.server).get(
      '/api/githost/team-a/svc.git/info/refs?service=git-receive-pack',
    );
    expect(res.status).toBe(403);
    expect(res.text).toContain('githost.allowAnonymousPush is false');
  });
});

describe("githost in Backstage's production backend", () => {
  it('clones and pushes through the real HTTP stack (helmet, CORS, compression, auth)', async () => {
    const root = path.join(tempDir(), 'git');
    const port = await freePort();
    const published: EventParams[] = [];
    const backend = createBackend();
    backend.add(githostPlugin);
    // The production database service never closes SQLite connections, even
    // on stop(): its knex pool's timer would keep the Jest worker alive. A
    // test database is closed after the tests.
    backend.add(
      mockServices.database.factory({
        knex: await databases.init('SQLITE_3'),
      }),
    );
    backend.add(
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: `http://localhost:${port}`,
            listen: { host: '127.0.0.1', port },
          },
          githost: { root, allowAnonymousPush: true },
        },
      }),
    );
    backend.add(mockServices.rootLogger.factory({ level: 'none' }));
    backend.add(
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (params: EventParams) => {
            published.push(params);
          },
          subscribe: async () => {},
        }),
      }),
    );
    await backend.start();
    try {
      const store = new GitRepositoryStore({ root });
      await store.create('team-a', 'svc');
      const { git } = createGitClient();
      const base = `http://127.0.0.1:${port}/api/githost`;
      const work = path.join(tempDir(), 'svc');
      await git(['clone', `${base}/team-a/svc.git`, work]);
      fs.writeFileSync(path.join(work, 'README.md'), 'hello\n'.repeat(5000));
      await git(['add', '.'], work);
      await git(['commit', '-m', 'readme'], work);
      await git(['push', 'origin', 'HEAD:master'], work);
      await eventsPublished(published, 1);
      const again = path.join(tempDir(), 'again');
      await git(['clone', `${base}/team-a/svc.git`, again]);
      expect(fs.readFileSync(path.join(again, 'README.md'), 'utf8')).toBe(
        'hello\n'.repeat(5000),
      );
      // Only the git protocol is anonymous.
      const res = await fetch(`${base}/repositories`);
      expect(res.status).toBe(401);
    } finally {
      await backend.stop();
    }
  });
});
