import { GithostUrls } from '../urls';
import { ZERO_SHA } from './names';
import {
  buildPushEventPayload,
  createPushEventMetadata,
  diffRefs,
} from './pushEvent';
import { CommitInfo } from './RepositoryStore';

const urls = new GithostUrls('http://localhost:7007/api/githost');
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

function commit(id: string, message: string, extra: Partial<CommitInfo> = {}) {
  return {
    id,
    treeId: 'f'.repeat(40),
    parents: [],
    message,
    author: {
      name: 'Ada',
      email: 'ada@example.com',
      date: '2026-11-22T10:00:00+01:00',
    },
    committer: {
      name: 'Bob',
      email: 'bob@example.com',
      date: '2026-11-22T10:05:00+01:00',
    },
    added: [],
    removed: [],
    modified: [],
    ...extra,
  } as CommitInfo;
}

const base = {
  owner: 'team-a',
  name: 'svc',
  defaultBranch: 'master',
  pusher: { name: 'anonymous' },
  urls,
  forced: false,
};

describe('buildPushEventPayload', () => {
  it('describes a created branch with a zero before and its commits', () => {
    const first = commit(A, 'initial commit', { added: ['catalog-info.yaml'] });
    const payload = buildPushEventPayload({
      ...base,
      update: { ref: 'refs/heads/master', before: ZERO_SHA, after: A },
      commits: [first],
      headCommit: first,
    });
    expect(payload).toMatchObject({
      ref: 'refs/heads/master',
      before: ZERO_SHA,
      after: A,
      created: true,
      deleted: false,
      forced: false,
      head_commit: { id: A, message: 'initial commit' },
      pusher: { name: 'anonymous' },
    });
    expect(payload.commits).toEqual([
      {
        id: A,
        tree_id: 'f'.repeat(40),
        distinct: true,
        message: 'initial commit',
        timestamp: '2026-11-22T10:00:00+01:00',
        url: `http://localhost:7007/api/githost/team-a/svc/tree/${A}`,
        author: { name: 'Ada', email: 'ada@example.com' },
        committer: { name: 'Bob', email: 'bob@example.com' },
        added: ['catalog-info.yaml'],
        removed: [],
        modified: [],
      },
    ]);
    expect(payload.repository).toEqual({
      name: 'svc',
      full_name: 'team-a/svc',
      owner: { login: 'team-a', name: 'team-a' },
      private: false,
      html_url: 'http://localhost:7007/api/githost/team-a/svc',
      url: 'http://localhost:7007/api/githost/team-a/svc',
      clone_url: 'http://localhost:7007/api/githost/team-a/svc.git',
      default_branch: 'master',
      master_branch: 'master',
    });
  });

  it('describes a regular push with its commits oldest first and the head commit', () => {
    const commits = [
      commit(B, 'second', { modified: ['a.txt'] }),
      commit(C, 'third', { removed: ['b.txt'] }),
    ];
    const payload = buildPushEventPayload({
      ...base,
      update: { ref: 'refs/heads/master', before: A, after: C },
      commits,
      headCommit: commits[1],
    });
    expect(payload.created).toBe(false);
    expect(payload.deleted).toBe(false);
    expect(payload.commits.map(c => c.id)).toEqual([B, C]);
    expect(payload.commits[0].modified).toEqual(['a.txt']);
    expect(payload.commits[1].removed).toEqual(['b.txt']);
    expect(payload.head_commit?.id).toBe(C);
  });

  it('keeps the newest 20 commits of a long push', () => {
    const commits = Array.from({ length: 25 }, (_, i) =>
      commit(i.toString(16).padStart(40, '0'), `commit ${i}`),
    );
    const payload = buildPushEventPayload({
      ...base,
      update: { ref: 'refs/heads/master', before: A, after: commits[24].id },
      commits,
      headCommit: commits[24],
    });
    expect(payload.commits).toHaveLength(20);
    expect(payload.commits[0].message).toBe('commit 5');
    expect(payload.commits[19].message).toBe('commit 24');
  });

  it('reports a force push', () => {
    const payload = buildPushEventPayload({
      ...base,
      forced: true,
      update: { ref: 'refs/heads/master', before: A, after: B },
      commits: [commit(B, 'rewritten')],
    });
    expect(payload.forced).toBe(true);
    expect(payload.head_commit?.id).toBe(B);
  });

  it('describes a deleted branch with a zero after, no commits and no head commit', () => {
    const payload = buildPushEventPayload({
      ...base,
      forced: true,
      update: { ref: 'refs/heads/feature', before: A, after: ZERO_SHA },
      commits: [],
    });
    expect(payload).toMatchObject({
      ref: 'refs/heads/feature',
      before: A,
      after: ZERO_SHA,
      created: false,
      deleted: true,
      forced: false,
      commits: [],
      head_commit: null,
    });
  });
});

describe('diffRefs', () => {
  it('lists created, updated and deleted branches and tags, sorted', () => {
    expect(
      diffRefs(
        {
          'refs/heads/master': A,
          'refs/heads/old': B,
          'refs/tags/v1': C,
          'refs/notes/commits': A,
        },
        {
          'refs/heads/master': B,
          'refs/heads/new': C,
          'refs/tags/v1': C,
          'refs/notes/commits': B,
        },
      ),
    ).toEqual([
      { ref: 'refs/heads/master', before: A, after: B },
      { ref: 'refs/heads/new', before: ZERO_SHA, after: C },
      { ref: 'refs/heads/old', before: B, after: ZERO_SHA },
    ]);
  });

  it('is empty when nothing moved', () => {
    expect(
      diffRefs({ 'refs/heads/master': A }, { 'refs/heads/master': A }),
    ).toEqual([]);
  });
});

describe('createPushEventMetadata', () => {
  it("carries GitHub's event header and a new delivery GUID each time", () => {
    const first = createPushEventMetadata();
    const second = createPushEventMetadata();
    expect(first).toEqual({
      'x-github-event': 'push',
      'x-gitops-source': 'githost',
      'x-github-delivery': expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
    });
    expect(second['x-github-delivery']).not.toBe(first['x-github-delivery']);
  });
});
