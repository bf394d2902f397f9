import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { cleanupTempDirs, createGitClient, tempDir } from '@gitops/test-utils';
import { GitRepositoryStore } from './GitRepositoryStore';
import { ZERO_SHA } from './names';

// Many git processes per test, on a machine that may be busy.
jest.setTimeout(60_000);

const author = { name: 'Ada', email: 'ada@example.com' };

function sourceFolder(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('GitRepositoryStore', () => {
  let parent: string;
  let root: string;
  let store: GitRepositoryStore;

  beforeEach(() => {
    parent = tempDir();
    root = path.join(parent, 'git');
    store = new GitRepositoryStore({ root });
  });
  afterAll(() => cleanupTempDirs());

  it('reads its root from githost.root, relative to the working directory', () => {
    expect(
      GitRepositoryStore.fromConfig(
        new ConfigReader({ githost: { root: 'some/where' } }),
      ).root,
    ).toBe(path.resolve('some/where'));
    expect(GitRepositoryStore.fromConfig(new ConfigReader({})).root).toBe(
      path.resolve('../../.data/git'),
    );
  });

  it('creates a bare repository at <root>/<owner>/<name>.git that git can clone', async () => {
    expect(await store.create('team-a', 'svc')).toEqual({
      owner: 'team-a',
      name: 'svc',
      defaultBranch: 'master',
    });
    expect(fs.existsSync(path.join(root, 'team-a', 'svc.git', 'HEAD'))).toBe(
      true,
    );
    expect(await store.exists('team-a', 'svc')).toBe(true);
    expect(await store.exists('team-a', 'other')).toBe(false);
    await store.create('team-b', 'web', { defaultBranch: 'main' });
    expect(await store.list()).toEqual([
      { owner: 'team-a', name: 'svc' },
      { owner: 'team-b', name: 'web' },
    ]);
    expect(await store.describe('team-b', 'web')).toEqual({
      owner: 'team-b',
      name: 'web',
      defaultBranch: 'main',
    });
    const { git } = createGitClient();
    const clone = path.join(tempDir(), 'clone');
    await git(['clone', path.join(root, 'team-a', 'svc.git'), clone]);
    expect(fs.existsSync(path.join(clone, '.git'))).toBe(true);
  });

  it('refuses to create a repository that exists', async () => {
    await store.create('team-a', 'svc');
    await expect(store.create('team-a', 'svc')).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  it.each([
    ['../x', 'svc'],
    ['team-a', '../x'],
    ['UPPER', 'svc'],
    ['team-a', ''],
    ['', 'svc'],
    ['team-a', 'a/b'],
    ['team-a', '.hidden'],
    ['team-a', 'a..b'],
    ['team-a', 'svc.git'],
    ['/etc', 'passwd'],
    ['team-a', '-n'],
  ])(
    'rejects the name %j/%j without touching the disk',
    async (owner, name) => {
      await expect(store.create(owner, name)).rejects.toMatchObject({
        name: 'InputError',
      });
      expect(fs.readdirSync(parent)).toEqual([]);
    },
  );

  it('rejects default branches git would misread', async () => {
    for (const branch of ['--bare', 'a..b', 'x.lock', 'HEAD@{1}', '']) {
      await expect(
        store.create('team-a', 'svc', { defaultBranch: branch }),
      ).rejects.toMatchObject({ name: 'InputError' });
    }
  });

  describe('with content', () => {
    let first: string;

    beforeEach(async () => {
      await store.create('team-a', 'svc');
      first = (
        await store.commitDirectory('team-a', 'svc', {
          sourceDir: sourceFolder({
            'catalog-info.yaml': 'kind: Component\n',
            'kubernetes/deployment.yaml': 'kind: Deployment\n',
            '.gitignore': 'secret.txt\n',
            'secret.txt': 'do not commit\n',
          }),
          branch: 'master',
          message: 'initial commit',
          author,
        })
      ).after;
    });

    it('commits a folder onto a branch, honouring its .gitignore', async () => {
      const tree = await store.listTree('team-a', 'svc', 'master');
      expect(tree.commit).toBe(first);
      expect(tree.entries.map(e => e.path)).toEqual([
        '.gitignore',
        'catalog-info.yaml',
        'kubernetes/deployment.yaml',
      ]);
      expect(await store.describe('team-a', 'svc')).toMatchObject({
        headCommit: first,
      });
      const commit = await store.readCommit('team-a', 'svc', 'master');
      expect(commit).toMatchObject({
        id: first,
        parents: [],
        message: 'initial commit',
        author: { name: 'Ada', email: 'ada@example.com' },
        added: [
          '.gitignore',
          'catalog-info.yaml',
          'kubernetes/deployment.yaml',
        ],
      });
    });

    it('adds a second commit on top of the branch', async () => {
      const update = await store.commitDirectory('team-a', 'svc', {
        sourceDir: sourceFolder({ 'catalog-info.yaml': 'kind: System\n' }),
        branch: 'master',
        message: 'replace',
        author,
      });
      expect(update).toMatchObject({ ref: 'refs/heads/master', before: first });
      const { commits, total } = await store.readCommits(
        'team-a',
        'svc',
        update,
        {
          limit: 20,
        },
      );
      expect(total).toBe(1);
      expect(commits[0]).toMatchObject({
        parents: [first],
        modified: ['catalog-info.yaml'],
        removed: ['.gitignore', 'kubernetes/deployment.yaml'],
      });
      expect(
        (
          await store.readFile('team-a', 'svc', 'master', 'catalog-info.yaml')
        ).content.toString(),
      ).toBe('kind: System\n');
      expect(
        (
          await store.readFile('team-a', 'svc', first, 'catalog-info.yaml')
        ).content.toString(),
      ).toBe('kind: Component\n');
    });

    it('lists the commits of a created branch that no other ref has', async () => {
      const update = await store.commitDirectory('team-a', 'svc', {
        sourceDir: sourceFolder({ 'a.txt': 'a\n' }),
        branch: 'feature',
        message: 'feature work',
        author,
      });
      expect(update.before).toBe(ZERO_SHA);
      const refs = await store.listRefs('team-a', 'svc');
      const { commits } = await store.readCommits('team-a', 'svc', update, {
        limit: 20,
        otherRefs: [refs['refs/heads/master']],
      });
      expect(commits.map(c => c.message)).toEqual(['feature work']);
    });

    it('reads the default branch from HEAD', async () => {
      expect(await store.defaultBranch('team-a', 'svc')).toBe('master');
      await store.create('team-b', 'web', { defaultBranch: 'release/1.x' });
      expect(await store.defaultBranch('team-b', 'web')).toBe('release/1.x');
      await expect(
        store.defaultBranch('team-a', 'missing'),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('reads pushed commits with their files: merges against the first parent, empty commits, odd file names', async () => {
      const { git } = createGitClient();
      const work = tempDir();
      await git([
        'clone',
        '--quiet',
        store.repositoryPath('team-a', 'svc'),
        work,
      ]);
      const commit = async (message: string, files: Record<string, string>) => {
        for (const [file, content] of Object.entries(files)) {
          fs.writeFileSync(path.join(work, file), content);
        }
        await git(['add', '--all'], work);
        await git(['commit', '--quiet', '--allow-empty', '-m', message], work);
        return git(['rev-parse', 'HEAD'], work);
      };
      await git(['checkout', '--quiet', '-b', 'side'], work);
      const side = await commit('side work', { 'side.txt': 's\n' });
      await git(['checkout', '--quiet', 'master'], work);
      const odd = await commit('odd names\n\nwith a body', {
        'new\nline.txt': 'x\n',
        'ü and space.txt': 'y\n',
        'catalog-info.yaml': 'kind: Group\n',
      });
      await git(
        ['merge', '--quiet', '--no-ff', '-m', 'merge side', 'side'],
        work,
      );
      const merge = await git(['rev-parse', 'HEAD'], work);
      fs.rmSync(path.join(work, 'kubernetes'), { recursive: true });
      const removal = await commit('remove kubernetes', {});
      const empty = await commit('nothing changed', {});
      await git(['push', '--quiet', 'origin', 'master'], work);

      const update = { ref: 'refs/heads/master', before: first, after: empty };
      const { commits, total } = await store.readCommits(
        'team-a',
        'svc',
        update,
        {
          limit: 20,
        },
      );
      expect(total).toBe(5);
      // Newest first by commit date, then reversed: the two sides of the
      // merge were committed in the same second, in either order.
      expect(commits.slice(2).map(c => c.id)).toEqual([merge, removal, empty]);
      expect(
        commits
          .slice(0, 2)
          .map(c => c.id)
          .sort(),
      ).toEqual([odd, side].sort());
      const byId = (id: string) => commits.find(c => c.id === id)!;
      expect(
        [odd, side, merge, removal, empty].map(byId).map(c => ({
          id: c.id,
          parents: c.parents,
          message: c.message,
          added: c.added,
          removed: c.removed,
          modified: c.modified,
        })),
      ).toEqual([
        {
          id: odd,
          parents: [first],
          message: 'odd names\n\nwith a body',
          added: ['new\nline.txt', 'ü and space.txt'],
          removed: [],
          modified: ['catalog-info.yaml'],
        },
        {
          id: side,
          parents: [first],
          message: 'side work',
          added: ['side.txt'],
          removed: [],
          modified: [],
        },
        {
          id: merge,
          parents: [odd, side],
          message: 'merge side',
          // Against the first parent, as GitHub reports a merge.
          added: ['side.txt'],
          removed: [],
          modified: [],
        },
        {
          id: removal,
          parents: [merge],
          message: 'remove kubernetes',
          added: [],
          removed: ['kubernetes/deployment.yaml'],
          modified: [],
        },
        {
          id: empty,
          parents: [removal],
          message: 'nothing changed',
          added: [],
          removed: [],
          modified: [],
        },
      ]);
      expect(byId(odd).author).toEqual({
        name: 'Test User',
        email: 'test@example.com',
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
      });
      expect(byId(odd).treeId).toMatch(/^[0-9a-f]{40}$/);

      // Over the limit: the newest ones, oldest first, and the full count.
      const newest = await store.readCommits('team-a', 'svc', update, {
        limit: 2,
      });
      expect(newest.total).toBe(5);
      expect(newest.commits.map(c => c.id)).toEqual([removal, empty]);
      expect(await store.readCommit('team-a', 'svc', merge)).toEqual(
        byId(merge),
      );
    });

    it('refuses file paths that leave the repository or are options', async () => {
      for (const bad of ['/etc/passwd', '../x', 'a/../../b', 'kubernetes/..']) {
        await expect(
          store.readFile('team-a', 'svc', 'master', bad),
        ).rejects.toMatchObject({ name: 'InputError' });
      }
      for (const ref of [
        '--output=/tmp/x',
        'master..HEAD',
        'master:x',
        '@{-1}',
      ]) {
        await expect(
          store.resolveRef('team-a', 'svc', ref),
        ).rejects.toMatchObject({ name: 'InputError' });
      }
      await expect(
        store.readFile('team-a', 'svc', 'master', 'kubernetes'),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        store.readFile('team-a', 'svc', 'master', ':(glob)**'),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });
  });
});
