import {
  buildPushEventPayload,
  createPushEventMetadata,
  GithostUrls,
  ZERO_SHA,
} from '@gitops/plugin-githost-node';
import githubPush from './__fixtures__/github-push.json';
import githubPullRequest from './__fixtures__/github-pull_request-synchronize.json';
import { repositoryEventFromEvent } from './events';

const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const urls = new GithostUrls('http://localhost:7007/api/githost');

/** A githost push, built by the local hosting's own payload builder. */
function githostPush(update: { ref: string; before: string; after: string }) {
  const head =
    update.after === ZERO_SHA
      ? undefined
      : {
          id: update.after,
          treeId: 'f'.repeat(40),
          parents: [update.before],
          message: 'Add a database\n\nWith its migration.',
          author: {
            name: 'Ada',
            email: 'ada@example.com',
            date: '2026-11-22T10:00:00+01:00',
          },
          committer: {
            name: 'Ada',
            email: 'ada@example.com',
            date: '2026-11-22T10:00:00+01:00',
          },
          added: ['kubernetes/db.yaml'],
          removed: [],
          modified: [],
        };
  return {
    topic: 'github.push',
    eventPayload: buildPushEventPayload({
      owner: 'team-a',
      name: 'example-app',
      update,
      commits: head ? [head] : [],
      headCommit: head,
      forced: false,
      defaultBranch: 'master',
      pusher: { name: 'ada' },
      urls,
    }),
    metadata: createPushEventMetadata(DELIVERY),
  };
}

const github = (topic: string, payload: unknown) => ({
  topic,
  eventPayload: payload,
  metadata: {
    'x-github-event': topic.slice('github.'.length),
    'x-github-delivery': DELIVERY,
  },
});

describe('repositoryEventFromEvent', () => {
  it('normalises a push from the local git hosting', () => {
    expect(
      repositoryEventFromEvent(
        githostPush({ ref: 'refs/heads/master', before: A, after: B }),
      ),
    ).toEqual({
      result: 'ok',
      event: {
        kind: 'push',
        deliveryId: DELIVERY,
        repository: {
          fullName: 'team-a/example-app',
          htmlUrl: 'http://localhost:7007/api/githost/team-a/example-app',
          cloneUrl: 'http://localhost:7007/api/githost/team-a/example-app.git',
          defaultBranch: 'master',
        },
        ref: 'master',
        sha: B,
        before: A,
        deleted: false,
        headCommit: {
          message: 'Add a database\n\nWith its migration.',
          author: { name: 'Ada', email: 'ada@example.com' },
        },
        pusher: { name: 'ada' },
      },
    });
  });

  it('normalises a push from GitHub', () => {
    expect(repositoryEventFromEvent(github('github.push', githubPush))).toEqual(
      {
        result: 'ok',
        event: {
          kind: 'push',
          deliveryId: DELIVERY,
          repository: {
            fullName: 'Octo-Org/example-app',
            htmlUrl: 'https://github.com/Octo-Org/example-app',
            cloneUrl: 'https://github.com/Octo-Org/example-app.git',
            defaultBranch: 'main',
          },
          ref: 'main',
          sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
          before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
          deleted: false,
          headCommit: {
            message: "Use Java 21\n\nThe template's default moved on.",
            author: {
              name: 'Codertocat',
              email: '21031067+Codertocat@users.noreply.github.com',
            },
          },
          pusher: {
            name: 'Codertocat',
            email: '21031067+Codertocat@users.noreply.github.com',
          },
        },
      },
    );
  });

  it('keeps a branch name with slashes whole', () => {
    const result = repositoryEventFromEvent(
      github('github.push', { ...githubPush, ref: 'refs/heads/feature/db' }),
    );
    expect(result.result === 'ok' && result.event.ref).toBe('feature/db');
  });

  it('builds a pull request at its test merge commit', () => {
    expect(
      repositoryEventFromEvent(
        github('github.pull_request', githubPullRequest),
      ),
    ).toEqual({
      result: 'ok',
      event: {
        kind: 'pull_request',
        deliveryId: DELIVERY,
        repository: {
          fullName: 'Octo-Org/example-app',
          htmlUrl: 'https://github.com/Octo-Org/example-app',
          cloneUrl: 'https://github.com/Octo-Org/example-app.git',
          defaultBranch: 'main',
        },
        ref: 'pr/2/merge',
        sha: 'c4295bd74fb0f4fda2e9a4a8b5c3ab1db3c3e1c2',
        deleted: false,
        pusher: { name: 'Codertocat' },
        pullRequest: {
          number: 2,
          action: 'synchronize',
          headRef: 'changes',
          baseRef: 'main',
          headSha: '34c5c7793cb3b279e22454cb6750c80560547b3a',
        },
      },
    });
  });

  it('builds a pull request at its head before GitHub computed the merge commit', () => {
    const opened = {
      ...githubPullRequest,
      action: 'opened',
      pull_request: {
        ...githubPullRequest.pull_request,
        merge_commit_sha: null,
      },
    };
    const result = repositoryEventFromEvent(
      github('github.pull_request', opened),
    );
    expect(result.result === 'ok' && result.event.sha).toBe(
      '34c5c7793cb3b279e22454cb6750c80560547b3a',
    );
  });

  it.each(['closed', 'labeled', 'edited'])(
    'ignores the pull request action %s',
    action => {
      expect(
        repositoryEventFromEvent(
          github('github.pull_request', { ...githubPullRequest, action }),
        ),
      ).toEqual({
        result: 'ignored',
        reason: `pull request action "${action}" brings no commit to build (built: opened, synchronize, reopened)`,
      });
    },
  );

  it('reports a deleted branch as deleted, with nothing at its head', () => {
    const result = repositoryEventFromEvent(
      githostPush({ ref: 'refs/heads/feature', before: A, after: ZERO_SHA }),
    );
    expect(result).toMatchObject({
      result: 'ok',
      event: { ref: 'feature', deleted: true, sha: ZERO_SHA, before: A },
    });
    expect(result.result === 'ok' && result.event.headCommit).toBeUndefined();
  });

  it('ignores a tag push', () => {
    expect(
      repositoryEventFromEvent(
        githostPush({ ref: 'refs/tags/v1.0.0', before: ZERO_SHA, after: A }),
      ),
    ).toEqual({
      result: 'ignored',
      reason:
        'push to refs/tags/v1.0.0: only branches (refs/heads/...) are built',
    });
  });

  it('ignores other topics', () => {
    expect(
      repositoryEventFromEvent(github('github.issues', { action: 'opened' })),
    ).toEqual({
      result: 'ignored',
      reason:
        'topic "github.issues" is neither github.push nor github.pull_request',
    });
    expect(
      repositoryEventFromEvent({ topic: 'constructor', eventPayload: {} }),
    ).toMatchObject({ result: 'ignored' });
  });

  it('refuses an event without a delivery id', () => {
    const event = githostPush({
      ref: 'refs/heads/master',
      before: A,
      after: B,
    });
    expect(
      repositoryEventFromEvent({
        ...event,
        metadata: { 'x-github-event': 'push' },
      }),
    ).toEqual({
      result: 'invalid',
      reason: 'github.push event has no metadata x-github-delivery',
    });
    expect(
      repositoryEventFromEvent({ ...event, metadata: undefined }),
    ).toMatchObject({ result: 'invalid' });
  });

  it('refuses a delivery id that is not an id', () => {
    expect(
      repositoryEventFromEvent({
        ...github('github.push', githubPush),
        metadata: { 'x-github-delivery': 'abc\nforged log line' },
      }),
    ).toMatchObject({
      result: 'invalid',
      reason: expect.stringContaining('invalid metadata x-github-delivery'),
    });
  });

  it('takes the first value of a repeated header', () => {
    const result = repositoryEventFromEvent({
      ...github('github.push', githubPush),
      metadata: { 'x-github-delivery': [DELIVERY, 'other'] },
    });
    expect(result.result === 'ok' && result.event.deliveryId).toBe(DELIVERY);
  });

  it('refuses an event whose metadata names another event', () => {
    expect(
      repositoryEventFromEvent({
        ...github('github.push', githubPush),
        metadata: { 'x-github-event': 'issues', 'x-github-delivery': DELIVERY },
      }),
    ).toEqual({
      result: 'invalid',
      reason: 'github.push event carries metadata x-github-event "issues"',
    });
  });

  it.each([
    ['a string', 'not a payload', 'github.push payload is not an object'],
    ['null', null, 'github.push payload is not an object'],
    ['an array', [githubPush], 'github.push payload is not an object'],
    [
      'no repository',
      { ...githubPush, repository: undefined },
      'github.push payload field "repository": ',
    ],
    [
      'a short sha',
      { ...githubPush, after: '0d1a26e' },
      'github.push payload field "after": expected a full commit SHA (40 hex digits)',
    ],
    [
      'a repository without html_url',
      { ...githubPush, repository: { ...githubPush.repository, html_url: 7 } },
      'github.push payload field "repository.html_url": ',
    ],
  ])('refuses a push payload with %s', (_, payload, reason) => {
    const result = repositoryEventFromEvent(github('github.push', payload));
    expect(result.result).toBe('invalid');
    expect(result.result !== 'ok' && result.reason).toContain(reason);
  });

  it('refuses a pull request payload without its head', () => {
    const { head: _head, ...partial } = githubPullRequest.pull_request;
    expect(
      repositoryEventFromEvent(
        github('github.pull_request', {
          ...githubPullRequest,
          pull_request: partial,
        }),
      ),
    ).toMatchObject({
      result: 'invalid',
      reason: expect.stringContaining(
        'github.pull_request payload field "pull_request.head"',
      ),
    });
  });
});
