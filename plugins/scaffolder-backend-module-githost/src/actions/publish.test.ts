import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import {
  DefaultGithostService,
  GitRepositoryStore,
  GithostUrls,
  GithubPushEventPayload,
  ZERO_SHA,
} from '@gitops/plugin-githost-node';
import { createPublishGithostAction } from './publish';

const BASE = 'http://localhost:7007/api/githost';
const tempDirs: string[] = [];

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'githost-publish-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A workspace as a template leaves it: files at the root and in service/. */
function workspace(): string {
  const dir = tempDir();
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  write(
    'catalog-info.yaml',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: my-service\n',
  );
  write('build-info.yaml', 'version: 2\n');
  write('kubernetes/deployment.yaml', 'kind: Deployment\n');
  write(
    'service/catalog-info.yaml',
    'kind: Component\nmetadata:\n  name: web\n',
  );
  write('service/src/index.ts', 'export {};\n');
  return dir;
}

function setup() {
  const root = path.join(tempDir(), 'git');
  const store = new GitRepositoryStore({ root });
  const published: { topic: string; eventPayload: unknown }[] = [];
  const githost = new DefaultGithostService({
    settings: { root, allowAnonymousPush: false, baseUrl: BASE },
    store,
    urls: new GithostUrls(BASE),
    events: {
      publish: async params => {
        published.push(params);
      },
    },
  });
  return {
    root,
    store,
    published,
    action: createPublishGithostAction({ githost }),
  };
}

async function run(
  action: ReturnType<typeof createPublishGithostAction>,
  input: JsonObject,
  workspacePath: string,
  extra: { isDryRun?: boolean } = {},
) {
  const ctx = {
    ...createMockActionContext({
      input,
      workspacePath,
      user: { ref: 'user:default/jane' },
    }),
    ...extra,
  };
  await action.handler(ctx as any);
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  ) as Record<string, string>;
}

/** Clones a repository straight from disk with the real git client. */
async function cloneFromDisk(repoPath: string) {
  const dir = path.join(tempDir(), 'clone');
  const env = {
    PATH: process.env.PATH,
    HOME: tempDir(),
    GIT_CONFIG_NOSYSTEM: '1',
  };
  await promisify(execFile)('git', ['clone', '--quiet', repoPath, dir], {
    env,
  });
  const git = async (...args: string[]) =>
    (await promisify(execFile)('git', args, { cwd: dir, env })).stdout.trim();
  return { dir, git };
}

describe('publish:githost', () => {
  // Each example's first step, as the scaffolder would run it.
  const examples = setup().action.examples!.map(e => {
    const step = yaml.parse(e.example).steps[0];
    return [e.description, step] as const;
  });

  it.each(examples)('example: %s', async (_, step) => {
    const { action, store, published } = setup();
    expect(step.action).toBe('publish:githost');
    const input = step.input as JsonObject;
    const ws = workspace();
    const outputs = await run(action, input, ws);

    const { owner, repo } = Object.fromEntries(
      new URL(`https://${input.repoUrl}`).searchParams,
    );
    const branch = (input.defaultBranch as string) ?? 'master';
    expect(outputs).toEqual({
      remoteUrl: `${BASE}/${owner}/${repo}.git`,
      repoContentsUrl: `${BASE}/${owner}/${repo}/tree/${branch}`,
      catalogInfoUrl: `${BASE}/${owner}/${repo}/blob/${branch}/catalog-info.yaml`,
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
    });

    // The repository holds the published folder, as a git clone shows it.
    const clone = await cloneFromDisk(store.repositoryPath(owner, repo));
    expect(await clone.git('rev-parse', 'HEAD')).toBe(outputs.commitHash);
    expect(await clone.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe(branch);
    const files = (await clone.git('ls-files')).split('\n').sort();
    const sourceDir = path.join(ws, (input.sourcePath as string) ?? '.');
    expect(
      fs.readFileSync(path.join(clone.dir, 'catalog-info.yaml'), 'utf8'),
    ).toBe(fs.readFileSync(path.join(sourceDir, 'catalog-info.yaml'), 'utf8'));
    expect(await clone.git('log', '-1', '--format=%s|%an|%ae')).toBe(
      [
        input.gitCommitMessage ?? 'initial commit',
        input.gitAuthorName ?? 'Scaffolder',
        input.gitAuthorEmail ?? 'scaffolder@backstage.io',
      ].join('|'),
    );

    // One push event, as if the commit had been pushed over HTTP.
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe('github.push');
    const payload = published[0].eventPayload as GithubPushEventPayload;
    expect(payload).toMatchObject({
      ref: `refs/heads/${branch}`,
      before: ZERO_SHA,
      after: outputs.commitHash,
      created: true,
      pusher: { name: 'jane' },
      repository: {
        full_name: `${owner}/${repo}`,
        clone_url: outputs.remoteUrl,
        default_branch: branch,
      },
    });
    expect(payload.commits).toHaveLength(1);
    expect([...payload.commits[0].added].sort()).toEqual(files);
  });

  it('publishes the whole workspace by default', async () => {
    const { action, store } = setup();
    await run(
      action,
      { repoUrl: 'localhost:7007?owner=team-a&repo=svc' },
      workspace(),
    );
    const { entries } = await store.listTree('team-a', 'svc', 'master');
    expect(entries.map(e => e.path)).toEqual([
      'build-info.yaml',
      'catalog-info.yaml',
      'kubernetes/deployment.yaml',
      'service/catalog-info.yaml',
      'service/src/index.ts',
    ]);
    expect(await store.describe('team-a', 'svc')).toMatchObject({
      defaultBranch: 'master',
    });
  });

  it('fails with a ConflictError when the repository exists, changing nothing', async () => {
    const { action, store, published } = setup();
    const input = { repoUrl: 'localhost:7007?owner=team-a&repo=svc' };
    const first = await run(action, input, workspace());
    await expect(run(action, input, workspace())).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect((await store.describe('team-a', 'svc')).headCommit).toBe(
      first.commitHash,
    );
    expect(published).toHaveLength(1);
    // A dry run reports the conflict too.
    await expect(
      run(action, input, workspace(), { isDryRun: true }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('creates nothing in a dry run and outputs a zero commit', async () => {
    const { action, root, store, published } = setup();
    const outputs = await run(
      action,
      { repoUrl: 'localhost:7007?owner=team-a&repo=svc' },
      workspace(),
      { isDryRun: true },
    );
    expect(outputs).toEqual({
      remoteUrl: `${BASE}/team-a/svc.git`,
      repoContentsUrl: `${BASE}/team-a/svc/tree/master`,
      catalogInfoUrl: `${BASE}/team-a/svc/blob/master/catalog-info.yaml`,
      commitHash: ZERO_SHA,
    });
    expect(fs.existsSync(root)).toBe(false);
    expect(await store.list()).toEqual([]);
    expect(published).toEqual([]);
  });

  it.each([
    ['localhost:7007?owner=..%2Fx&repo=svc', /Invalid owner/],
    ['localhost:7007?owner=team-a&repo=../x', /Invalid repository name/],
    ['localhost:7007?owner=UPPER&repo=svc', /Invalid owner/],
    ['localhost:7007?owner=team-a&repo=UPPER', /Invalid repository name/],
    ['localhost:7007?owner=&repo=svc', /must name an owner and a repo/],
    ['localhost:7007?owner=team-a&repo=', /must name an owner and a repo/],
    ['localhost:7007?owner=team-a', /must name an owner and a repo/],
    ['github.com?owner=team-a&repo=svc', /publishes to localhost:7007/],
  ])('rejects repoUrl %s with an InputError', async (repoUrl, message) => {
    const { action, root } = setup();
    for (const isDryRun of [false, true]) {
      await expect(
        run(action, { repoUrl }, workspace(), { isDryRun }),
      ).rejects.toMatchObject({ name: 'InputError', message });
    }
    expect(fs.existsSync(root)).toBe(false);
  });

  it('rejects a bad branch and a sourcePath outside the workspace', async () => {
    const { action, root } = setup();
    const repoUrl = 'localhost:7007?owner=team-a&repo=svc';
    await expect(
      run(action, { repoUrl, defaultBranch: '--force' }, workspace()),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      run(action, { repoUrl, sourcePath: '../..' }, workspace()),
    ).rejects.toThrow(/outside/);
    await expect(
      run(action, { repoUrl, sourcePath: 'missing' }, workspace()),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(fs.existsSync(root)).toBe(false);
  });
});
