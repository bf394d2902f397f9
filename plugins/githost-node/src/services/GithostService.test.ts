import fs from 'node:fs';
import path from 'node:path';
import { EventParams } from '@backstage/plugin-events-node';
import { cleanupTempDirs, createGitClient, tempDir } from '@gitops/test-utils';
import { GithostUrls } from '../urls';
import { GitRepositoryStore } from './GitRepositoryStore';
import { publishPushEvents } from './GithostService';
import { ZERO_SHA } from './names';
import { GithubPushEventPayload } from './pushEvent';
import { RefUpdate } from './RepositoryStore';

jest.setTimeout(60_000);

afterAll(() => cleanupTempDirs());

describe('publishPushEvents', () => {
  let store: GitRepositoryStore;
  let base: string;
  /** c0..c24, each on top of the previous, c0 on top of `base`. */
  let line: string[];
  /** One commit on top of `base`, beside the line. */
  let rewritten: string;

  beforeAll(async () => {
    store = new GitRepositoryStore({ root: path.join(tempDir(), 'git') });
    await store.create('team-a', 'svc');
    const source = tempDir();
    fs.writeFileSync(path.join(source, 'a.txt'), 'a\n');
    base = (
      await store.commitDirectory('team-a', 'svc', {
        sourceDir: source,
        branch: 'master',
        message: 'base',
        author: { name: 'Ada', email: 'ada@example.com' },
      })
    ).after;
    const { git } = createGitClient();
    const work = tempDir();
    await git([
      'clone',
      '--quiet',
      store.repositoryPath('team-a', 'svc'),
      work,
    ]);
    line = [];
    for (let i = 0; i < 25; i++) {
      fs.writeFileSync(path.join(work, `c${i}.txt`), `${i}\n`);
      await git(['add', '.'], work);
      await git(['commit', '--quiet', '-m', `c${i}`], work);
      line.push(await git(['rev-parse', 'HEAD'], work));
    }
    await git(['push', '--quiet', 'origin', 'HEAD:refs/heads/line'], work);
    await git(['reset', '--quiet', '--hard', base], work);
    fs.writeFileSync(path.join(work, 'a.txt'), 'rewritten\n');
    await git(['commit', '--quiet', '-am', 'rewritten'], work);
    rewritten = await git(['rev-parse', 'HEAD'], work);
    await git(['push', '--quiet', 'origin', 'HEAD:refs/heads/rewritten'], work);
  });

  async function publish(
    update: RefUpdate,
    refsBefore: Record<string, string> = {},
  ): Promise<GithubPushEventPayload> {
    const published: EventParams[] = [];
    await publishPushEvents({
      store,
      urls: new GithostUrls('http://localhost:7007/api/githost'),
      events: { publish: async event => void published.push(event) },
      owner: 'team-a',
      name: 'svc',
      updates: [update],
      pusher: { name: 'anonymous' },
      refsBefore,
    });
    expect(published).toHaveLength(1);
    return published[0].eventPayload as GithubPushEventPayload;
  }

  const summary = (p: GithubPushEventPayload) => ({
    forced: p.forced,
    created: p.created,
    commits: p.commits.map(c => c.message),
    head: p.head_commit?.id,
    defaultBranch: p.repository.default_branch,
  });

  it('tells a fast-forward from a force push, within the 20 commits listed and beyond', async () => {
    const ref = 'refs/heads/master';
    // A fast-forward of two commits.
    expect(
      summary(await publish({ ref, before: base, after: line[1] })),
    ).toEqual({
      forced: false,
      created: false,
      commits: ['c0', 'c1'],
      head: line[1],
      defaultBranch: 'master',
    });
    // A fast-forward of 25: the newest 20 are listed, still not forced.
    const long = await publish({ ref, before: base, after: line[24] });
    expect(summary(long)).toMatchObject({ forced: false, head: line[24] });
    expect(long.commits.map(c => c.message)).toEqual(
      line.slice(5).map((_, i) => `c${i + 5}`),
    );
    // History rewritten: one new commit whose parent is not `before`.
    expect(
      summary(await publish({ ref, before: line[24], after: rewritten })),
    ).toMatchObject({ forced: true, commits: ['rewritten'], head: rewritten });
    // Rewritten with more commits than are listed.
    const back = await publish({ ref, before: rewritten, after: line[24] });
    expect(summary(back)).toMatchObject({ forced: true, head: line[24] });
    expect(back.commits).toHaveLength(20);
    // Moved back to an older commit: nothing new, and forced.
    expect(
      summary(await publish({ ref, before: line[24], after: line[3] })),
    ).toEqual({
      forced: true,
      created: false,
      commits: [],
      head: line[3],
      defaultBranch: 'master',
    });
  });

  it('lists only the commits no other ref had for a created branch', async () => {
    const payload = await publish(
      { ref: 'refs/heads/feature', before: ZERO_SHA, after: line[24] },
      { 'refs/heads/master': line[21] },
    );
    expect(summary(payload)).toEqual({
      forced: false,
      created: true,
      commits: ['c22', 'c23', 'c24'],
      head: line[24],
      defaultBranch: 'master',
    });
  });
});
