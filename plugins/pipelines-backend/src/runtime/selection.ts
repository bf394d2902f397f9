import {
  MASTER_REF,
  Pipeline,
  PipelineDefinition,
  REVIEW_REF,
  TriggerKind,
} from '@gitops/plugin-pipelines-common';
import type { RepositoryEvent } from '@gitops/descriptors-node';

/** Whether a pipeline's `ref` is a review ref (`pr/./merge`, `pr/*`). */
export const isReviewRef = (ref: string): boolean =>
  ref === REVIEW_REF || ref.startsWith('pr/');

/**
 * Whether a pipeline's `ref` pattern names a branch: the exact name, `*`
 * for one path segment's worth of characters, `master` also meaning the
 * repository's default branch.
 */
export function refMatchesBranch(
  pattern: string,
  branch: string,
  defaultBranch: string,
): boolean {
  if (isReviewRef(pattern)) return false;
  if (pattern === branch) return true;
  if (pattern === MASTER_REF && branch === defaultBranch) return true;
  if (!pattern.includes('*')) return false;
  // Linear matching of `*` (never across '/'); no regex built from the
  // pattern. Each middle part at its earliest place: a later place would
  // only make the spans longer.
  const parts = pattern.split('*');
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (
    branch.length < first.length + last.length ||
    !branch.startsWith(first) ||
    !branch.endsWith(last)
  ) {
    return false;
  }
  let at = first.length;
  const end = branch.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = branch.indexOf(part, at);
    if (
      found < 0 ||
      found + part.length > end ||
      branch.slice(at, found).includes('/')
    ) {
      return false;
    }
    at = found + part.length;
  }
  return !branch.slice(at, end).includes('/');
}

/**
 * The pipelines an event runs, and as what.
 *
 * - a push to the default branch: the pipelines whose `ref` is the branch
 *   (`master` stands for the default branch);
 * - a pull request (GitHub): the review pipelines (`ref: pr/./merge`) on
 *   the pull request's merge commit;
 * - on the local hosting, which has no pull requests, a push to any other
 *   branch stands in for one: it runs the review pipelines on the pushed
 *   commit (documented in the README);
 * - a push to another branch also runs the pipelines naming that branch
 *   (e.g. `ref: release/*`).
 */
export function pipelinesForEvent(
  pipeline: Pipeline,
  event: RepositoryEvent,
  options: { localHosting: boolean },
): Array<{ definition: PipelineDefinition; kind: TriggerKind }> {
  const { defaultBranch } = event.repository;
  if (event.kind === 'pull_request') {
    return pipeline.pipelines
      .filter(p => isReviewRef(p.ref))
      .map(definition => ({ definition, kind: 'pull_request' as const }));
  }
  const branch = event.ref;
  const named = pipeline.pipelines
    .filter(p => refMatchesBranch(p.ref, branch, defaultBranch))
    .map(definition => ({ definition, kind: 'push' as const }));
  if (branch === defaultBranch || !options.localHosting) return named;
  const review = pipeline.pipelines
    .filter(p => isReviewRef(p.ref))
    .map(definition => ({ definition, kind: 'pull_request' as const }));
  return [...named, ...review];
}
