/**
 * The push event payload, shaped like GitHub's `push` webhook so that
 * subscribers of `github.push` work with the local hosting and with GitHub.
 * No I/O here: publishing is in GithostService.
 */
import { randomUUID } from 'node:crypto';
import { ZERO_SHA } from './names';
import { CommitInfo, RefUpdate } from './RepositoryStore';

/** The events topic push events are published on (the one GitHub's events module uses). @public */
export const GITHUB_PUSH_TOPIC = 'github.push';

/**
 * The fixed part of the metadata published with every push event; see
 * {@link createPushEventMetadata} for the whole of it.
 *
 * @public
 */
export const PUSH_EVENT_METADATA = {
  'x-github-event': 'push',
  'x-gitops-source': 'githost',
} as const;

/**
 * The metadata of one push event, shaped like the headers of a GitHub
 * webhook delivery (which the events backend passes on as metadata):
 * `x-github-event: push` and a new `x-github-delivery` GUID per event, so
 * that subscribers can recognise an event they have already handled the same
 * way for the local hosting and for GitHub. An event published again (after
 * a crash) passes the id it was recorded with.
 *
 * @public
 */
export function createPushEventMetadata(deliveryId: string = randomUUID()): {
  'x-github-event': 'push';
  'x-gitops-source': 'githost';
  'x-github-delivery': string;
} {
  return { ...PUSH_EVENT_METADATA, 'x-github-delivery': deliveryId };
}

/** GitHub sends at most 20 commits in a push event; so do we. @public */
export const MAX_PUSH_COMMITS = 20;

/** A commit in a push event, as GitHub shapes it. @public */
export interface GithubPushCommit {
  id: string;
  tree_id: string;
  distinct: boolean;
  message: string;
  /** ISO 8601, the author date. */
  timestamp: string;
  /** The commit's tree URL on the githost (GitHub: the commit page). */
  url: string;
  author: { name: string; email: string };
  committer: { name: string; email: string };
  added: string[];
  removed: string[];
  modified: string[];
}

/** The repository in a push event, as GitHub shapes it. @public */
export interface GithubPushRepository {
  name: string;
  full_name: string;
  owner: { login: string; name: string };
  private: boolean;
  html_url: string;
  url: string;
  clone_url: string;
  default_branch: string;
  master_branch: string;
}

/**
 * The payload of a `github.push` event: the fields of GitHub's push webhook
 * that a subscriber needs, with the same names and meaning.
 *
 * @public
 */
export interface GithubPushEventPayload {
  /** The full ref, e.g. `refs/heads/master`. */
  ref: string;
  /** The ref's commit before the push; 40 zeros when it was created. */
  before: string;
  /** The ref's commit after the push; 40 zeros when it was deleted. */
  after: string;
  created: boolean;
  deleted: boolean;
  /** True when `before` is not an ancestor of `after` (a force push). */
  forced: boolean;
  base_ref: null;
  /** The pushed commits, oldest first, at most 20 (the newest ones). */
  commits: GithubPushCommit[];
  /** The commit `after` points to; null when the ref was deleted. */
  head_commit: GithubPushCommit | null;
  repository: GithubPushRepository;
  pusher: { name: string; email?: string };
}

/** URL builders the payload needs (GithostUrls fits). @public */
export interface PushEventUrls {
  cloneUrl(owner: string, name: string): string;
  htmlUrl(owner: string, name: string): string;
  treeUrl(owner: string, name: string, ref: string, path?: string): string;
}

/** Input of {@link buildPushEventPayload}. @public */
export interface BuildPushEventOptions {
  owner: string;
  name: string;
  update: RefUpdate;
  /** The commits the push brought, oldest first; only the newest 20 are kept. */
  commits: CommitInfo[];
  /** The commit `after` points to (absent for a deleted ref). */
  headCommit?: CommitInfo;
  forced: boolean;
  defaultBranch: string;
  pusher: { name: string; email?: string };
  urls: PushEventUrls;
}

/**
 * Builds the `github.push` payload of one ref update.
 *
 * @public
 */
export function buildPushEventPayload(
  options: BuildPushEventOptions,
): GithubPushEventPayload {
  const { owner, name, update, urls } = options;
  const created = update.before === ZERO_SHA;
  const deleted = update.after === ZERO_SHA;
  const htmlUrl = urls.htmlUrl(owner, name);
  const toCommit = (c: CommitInfo): GithubPushCommit => ({
    id: c.id,
    tree_id: c.treeId,
    distinct: true,
    message: c.message,
    timestamp: c.author.date,
    url: urls.treeUrl(owner, name, c.id),
    author: { name: c.author.name, email: c.author.email },
    committer: { name: c.committer.name, email: c.committer.email },
    added: [...c.added],
    removed: [...c.removed],
    modified: [...c.modified],
  });
  const head = deleted
    ? undefined
    : options.headCommit ?? options.commits[options.commits.length - 1];
  return {
    ref: update.ref,
    before: update.before,
    after: update.after,
    created,
    deleted,
    forced: !created && !deleted && options.forced,
    base_ref: null,
    commits: deleted
      ? []
      : options.commits.slice(-MAX_PUSH_COMMITS).map(toCommit),
    head_commit: head ? toCommit(head) : null,
    repository: {
      name,
      full_name: `${owner}/${name}`,
      owner: { login: owner, name: owner },
      private: false,
      html_url: htmlUrl,
      url: htmlUrl,
      clone_url: urls.cloneUrl(owner, name),
      default_branch: options.defaultBranch,
      master_branch: options.defaultBranch,
    },
    pusher: { ...options.pusher },
  };
}

/**
 * The refs a push moved: compares `for-each-ref` before and after, keeping
 * branches and tags (what GitHub sends push events for), sorted by ref.
 *
 * @public
 */
export function diffRefs(
  before: Record<string, string>,
  after: Record<string, string>,
): RefUpdate[] {
  const refs = new Set([...Object.keys(before), ...Object.keys(after)]);
  const updates: RefUpdate[] = [];
  for (const ref of [...refs].sort()) {
    if (!ref.startsWith('refs/heads/') && !ref.startsWith('refs/tags/')) {
      continue;
    }
    const b = before[ref] ?? ZERO_SHA;
    const a = after[ref] ?? ZERO_SHA;
    if (a !== b) updates.push({ ref, before: b, after: a });
  }
  return updates;
}
