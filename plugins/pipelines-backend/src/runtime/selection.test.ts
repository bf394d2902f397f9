import type { Pipeline } from '@gitops/plugin-pipelines-common';
import type { RepositoryEvent } from '@gitops/descriptors-node';
import { pipelinesForEvent, refMatchesBranch } from './selection';

const step = { action: 'action-containers/node22:latest', args: ['test'] };
const stages = [{ stage: 'Build', tasks: [{ task: 'npm', steps: [step] }] }];
const pipeline: Pipeline = {
  version: '2',
  useBuildIdentity: false,
  pipelines: [
    { pipeline: 'Review build', ref: 'pr/./merge', stages },
    { pipeline: 'Master build', ref: 'master', stages },
    { pipeline: 'Release build', ref: 'release/*', stages },
  ],
};

const event = (over: Partial<RepositoryEvent>): RepositoryEvent => ({
  kind: 'push',
  deliveryId: 'd',
  repository: {
    fullName: 'team-a/svc',
    htmlUrl: 'http://localhost:7007/api/githost/team-a/svc',
    cloneUrl: 'http://localhost:7007/api/githost/team-a/svc.git',
    defaultBranch: 'main',
  },
  ref: 'main',
  sha: 'a'.repeat(40),
  deleted: false,
  ...over,
});

const chosen = (e: RepositoryEvent, localHosting: boolean) =>
  pipelinesForEvent(pipeline, e, { localHosting }).map(
    c => `${c.definition.pipeline} as ${c.kind}`,
  );

describe('pipelinesForEvent', () => {
  it('runs the master build on a push to the default branch, whatever it is called', () => {
    expect(chosen(event({}), true)).toEqual(['Master build as push']);
    expect(chosen(event({}), false)).toEqual(['Master build as push']);
  });

  it('runs the review build for a pull request', () => {
    expect(
      chosen(event({ kind: 'pull_request', ref: 'pr/7/merge' }), false),
    ).toEqual(['Review build as pull_request']);
  });

  it('on the local hosting, a push to another branch stands in for a pull request', () => {
    expect(chosen(event({ ref: 'feature/x' }), true)).toEqual([
      'Review build as pull_request',
    ]);
    // On GitHub the pull request event does that; the push runs nothing.
    expect(chosen(event({ ref: 'feature/x' }), false)).toEqual([]);
  });

  it('runs pipelines that name the pushed branch by pattern', () => {
    expect(chosen(event({ ref: 'release/1.2' }), false)).toEqual([
      'Release build as push',
    ]);
    expect(chosen(event({ ref: 'release/1.2' }), true)).toEqual([
      'Release build as push',
      'Review build as pull_request',
    ]);
  });
});

describe('refMatchesBranch', () => {
  it.each([
    ['release/*', 'release/1.2', true],
    ['release/*', 'release/1/2', false],
    ['release/*', 'releases/1', false],
    ['*-hotfix', 'db-hotfix', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['a*b*c', 'abc', true],
    ['master', 'main', true],
    ['master', 'develop', false],
    ['pr/./merge', 'pr/./merge', false],
  ])('%s against %s is %s', (pattern, branch, expected) => {
    expect(refMatchesBranch(pattern, branch, 'main')).toBe(expected);
  });

  it('answers at once for a pattern made to backtrack', () => {
    const pattern = `${'*a'.repeat(30)}c`;
    const branch = 'a'.repeat(5000);
    expect(refMatchesBranch(pattern, branch, 'main')).toBe(false);
  });
});
