import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import {
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
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

/** The users of the tests, and the groups the sign-in resolver gave them. */
const GROUPS: Record<string, string[]> = {
  // A member of the teams the examples publish under.
  'user:default/jane': ['group:default/team-a', 'group:default/team-b'],
  // Signed in, a member of no group: owns nothing.
  'user:default/nobody': [],
  // A member of the platform group only.
  'user:default/pat': ['group:default/platform'],
};

/** userInfo as the sign-in resolver fills it: the user and their groups. */
const userInfo: UserInfoService = {
  async getUserInfo(credentials: BackstageCredentials) {
    const { userEntityRef } = (
      credentials as BackstageCredentials<BackstageUserPrincipal>
    ).principal;
    return {
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...(GROUPS[userEntityRef] ?? [])],
    };
  },
};

/** The action on a fresh store; `null`: no platform group configured. */
function setup(platformGroup: string | null = 'group:default/platform') {
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
    action: createPublishGithostAction({
      githost,
      auth: mockServices.auth(),
      userInfo,
      platformGroup: platformGroup ?? undefined,
    }),
  };
}

async function run(
  action: ReturnType<typeof createPublishGithostAction>,
  input: JsonObject,
  workspacePath: string,
  {
    user = 'user:default/jane',
    credentials = mockCredentials.user(user),
    ...extra
  }: {
    isDryRun?: boolean;
    user?: string;
    credentials?: BackstageCredentials;
  } = {},
) {
  const ctx = {
    ...createMockActionContext({
      input,
      workspacePath,
      user: { ref: user },
    }),
    getInitiatorCredentials: async () => credentials,
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

  it('rejects a bad branch and a missing sourcePath, in a dry run too', async () => {
    const { action, root } = setup();
    const repoUrl = 'localhost:7007?owner=team-a&repo=svc';
    for (const isDryRun of [false, true]) {
      await expect(
        run(action, { repoUrl, defaultBranch: '--force' }, workspace(), {
          isDryRun,
        }),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        run(action, { repoUrl, sourcePath: 'missing' }, workspace(), {
          isDryRun,
        }),
      ).rejects.toMatchObject({ name: 'InputError' });
    }
    expect(fs.existsSync(root)).toBe(false);
  });

  // A dry run is how the template editor tries steps: it must not become a
  // way to read outside the workspace that a real run refuses.
  it.each([
    ['a parent folder', '../..'],
    ['an absolute path', '/etc'],
    ['a symlink out of the workspace', 'escape'],
  ])(
    'refuses a sourcePath that leaves the workspace (%s), in a dry run as in a real run',
    async (_, sourcePath) => {
      const { action, root } = setup();
      const repoUrl = 'localhost:7007?owner=team-a&repo=svc';
      for (const isDryRun of [false, true]) {
        const ws = workspace();
        fs.symlinkSync(tempDir(), path.join(ws, 'escape'));
        await expect(
          run(action, { repoUrl, sourcePath }, ws, { isDryRun }),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringMatching(/outside its parent/),
        });
      }
      expect(fs.existsSync(root)).toBe(false);
    },
  );
});

describe('publish:githost owners', () => {
  const repoUrl = (owner: string) => `localhost:7007?owner=${owner}&repo=svc`;

  it('publishes under a group the user is a member of', async () => {
    const { action, store } = setup();
    await run(action, { repoUrl: repoUrl('team-b') }, workspace());
    expect(await store.exists('team-b', 'svc')).toBe(true);
  });

  it('publishes under the user themselves', async () => {
    const { action, store } = setup();
    await run(action, { repoUrl: repoUrl('nobody') }, workspace(), {
      user: 'user:default/nobody',
    });
    expect(await store.exists('nobody', 'svc')).toBe(true);
  });

  it('refuses a user who owns nothing, naming the owner and their groups, in a dry run too', async () => {
    const { action, root, published } = setup();
    for (const isDryRun of [false, true]) {
      await expect(
        run(action, { repoUrl: repoUrl('team-a') }, workspace(), {
          user: 'user:default/nobody',
          isDryRun,
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'user:default/nobody may not create a repository under team-a: it stands for group:default/team-a (or user:default/team-a), and they are a member of no group (members of group:default/platform may publish under any owner)',
      });
    }
    expect(fs.existsSync(root)).toBe(false);
    expect(published).toEqual([]);
  });

  it("refuses a team the user is not in, listing the user's groups", async () => {
    const { action, root } = setup();
    for (const isDryRun of [false, true]) {
      await expect(
        run(action, { repoUrl: repoUrl('team-web') }, workspace(), {
          isDryRun,
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'under team-web: it stands for group:default/team-web (or user:default/team-web), and their groups are group:default/team-a, group:default/team-b',
        ),
      });
    }
    expect(fs.existsSync(root)).toBe(false);
  });

  it.each(['group:default/platform', 'platform'])(
    'publishes under any owner for a member of the platform group (configured as %p)',
    async platformGroup => {
      const { action, store } = setup(platformGroup);
      await run(action, { repoUrl: repoUrl('team-web') }, workspace(), {
        user: 'user:default/pat',
      });
      expect(await store.exists('team-web', 'svc')).toBe(true);
    },
  );

  it('makes no one a platform member when no platform group is configured', async () => {
    const { action, root } = setup(null);
    await expect(
      run(action, { repoUrl: repoUrl('team-web') }, workspace(), {
        user: 'user:default/pat',
        isDryRun: true,
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'their groups are group:default/platform (no platform group is configured: gitops.permissions.platformGroup)',
      ),
    });
    expect(fs.existsSync(root)).toBe(false);
  });

  it.each([
    ['a service', mockCredentials.service('plugin:catalog')],
    ['no one signed in', mockCredentials.none()],
  ])('refuses a task started by %s', async (_, credentials) => {
    const { action, root } = setup();
    await expect(
      run(action, { repoUrl: repoUrl('team-a') }, workspace(), {
        credentials,
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/for signed-in users only/),
    });
    expect(fs.existsSync(root)).toBe(false);
  });
});
