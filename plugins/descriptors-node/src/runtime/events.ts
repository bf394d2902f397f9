import { EventParams } from '@backstage/plugin-events-node';
import { z } from 'zod';

/** The events topic of a push (GitHub's events module and the local git hosting). @public */
export const GITHUB_PUSH_EVENT_TOPIC = 'github.push';
/** The events topic of a pull request event. @public */
export const GITHUB_PULL_REQUEST_EVENT_TOPIC = 'github.pull_request';

/**
 * Pull request actions that produce a commit to build: a new pull request,
 * new commits on it, and one opened again.
 *
 * @public
 */
export const BUILDING_PULL_REQUEST_ACTIONS = Object.freeze([
  'opened',
  'synchronize',
  'reopened',
] as const);

/** The repository an event is about. @public */
export interface EventRepository {
  /** `owner/name`. */
  readonly fullName: string;
  /** The repository's page, e.g. `https://github.com/o/r`; the base of its blob and tree URLs. */
  readonly htmlUrl: string;
  readonly cloneUrl: string;
  readonly defaultBranch: string;
}

/** A person named in an event. @public */
export interface EventPerson {
  readonly name: string;
  readonly email?: string;
}

/**
 * A `github.push` or `github.pull_request` event, normalised: what every
 * runtime (pipelines, deployments, monitoring) starts from.
 *
 * @public
 */
export interface RepositoryEvent {
  readonly kind: 'push' | 'pull_request';
  /** The webhook delivery (`x-github-delivery`), the same on a redelivery. */
  readonly deliveryId: string;
  readonly repository: EventRepository;
  /**
   * The branch without `refs/heads/` (e.g. `master`), or for a pull request
   * `pr/<number>/merge`.
   */
  readonly ref: string;
  /**
   * The commit to read and build. Push: `after` (40 zeros when the branch
   * was deleted). Pull request: the test merge commit
   * (`pull_request.merge_commit_sha`) when GitHub has computed one, else the
   * head commit (`pull_request.head.sha`); see {@link repositoryEventFromEvent}.
   */
  readonly sha: string;
  /** Push: the branch's commit before the push (40 zeros when created). */
  readonly before?: string;
  /** Push: the branch was deleted (`after` is 40 zeros); nothing to build. */
  readonly deleted: boolean;
  /** Push: the commit `after` points to. */
  readonly headCommit?: {
    readonly message: string;
    readonly author: EventPerson;
  };
  /** Push: who pushed. Pull request: who acted (`sender.login`). */
  readonly pusher?: EventPerson;
  readonly pullRequest?: {
    readonly number: number;
    readonly action: string;
    readonly headRef: string;
    readonly baseRef: string;
    readonly headSha: string;
  };
}

/**
 * The outcome of {@link repositoryEventFromEvent}: the event, one that is
 * well-formed but means nothing to build (a tag push, a closed pull
 * request), or a payload that is not what its topic promises. Never thrown.
 *
 * @public
 */
export type RepositoryEventResult =
  | { readonly result: 'ok'; readonly event: RepositoryEvent }
  | { readonly result: 'ignored'; readonly reason: string }
  | { readonly result: 'invalid'; readonly reason: string };

const KIND_OF_TOPIC = new Map<string, RepositoryEvent['kind']>([
  [GITHUB_PUSH_EVENT_TOPIC, 'push'],
  [GITHUB_PULL_REQUEST_EVENT_TOPIC, 'pull_request'],
]);
const ZERO_SHA = /^0+$/;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** GitHub's GUIDs, the local hosting's UUIDs; nothing that could smuggle text into a log line. */
const DELIVERY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const sha = z.string().regex(SHA, 'expected a full commit SHA (40 hex digits)');
const person = z.object({
  name: z.string(),
  email: z.string().nullish(),
});
const repository = z.object({
  full_name: z.string().min(1),
  html_url: z.string().min(1),
  clone_url: z.string().min(1),
  default_branch: z.string().min(1),
});
const pushPayload = z.object({
  ref: z.string().min(1),
  before: sha,
  after: sha,
  head_commit: z.object({ message: z.string(), author: person }).nullish(),
  repository,
  pusher: person.nullish(),
});
const pullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    merge_commit_sha: sha.nullish(),
    head: z.object({ ref: z.string().min(1), sha }),
    base: z.object({ ref: z.string().min(1) }),
  }),
  repository,
  sender: z.object({ login: z.string() }).nullish(),
});

const invalid = (reason: string): RepositoryEventResult => ({
  result: 'invalid',
  reason,
});
const ignored = (reason: string): RepositoryEventResult => ({
  result: 'ignored',
  reason,
});

/** The first problem of a payload, named by its path. */
function describeIssue(topic: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  return `${topic} payload${path ? ` field "${path}"` : ''}: ${issue.message}`;
}

function header(
  metadata: EventParams['metadata'],
  name: string,
): string | undefined {
  const value = metadata?.[name];
  return Array.isArray(value) ? value[0] : value;
}

const toPerson = (p: { name: string; email?: string | null }): EventPerson =>
  p.email ? { name: p.name, email: p.email } : { name: p.name };

const toRepository = (r: z.infer<typeof repository>): EventRepository => ({
  fullName: r.full_name,
  htmlUrl: r.html_url,
  cloneUrl: r.clone_url,
  defaultBranch: r.default_branch,
});

/**
 * Normalises a `github.push` or `github.pull_request` event, from GitHub
 * (through `@backstage/plugin-events-backend-module-github`) or from the
 * local git hosting (which publishes GitHub-shaped payloads), into what the
 * runtimes start from.
 *
 * - Every event needs its delivery id (metadata `x-github-delivery`); it is
 *   how a redelivered event is recognised.
 * - Push: branches only (`refs/heads/...`); a tag push is ignored. `sha` is
 *   `after`; a deleted branch is an event with `deleted: true` and 40 zeros.
 * - Pull request: the actions `opened`, `synchronize` and `reopened`; the
 *   others (closed, labeled, ...) are ignored. `ref` is `pr/<number>/merge`
 *   and `sha` the test merge commit GitHub computed
 *   (`pull_request.merge_commit_sha`), which is what merging would give;
 *   when GitHub has not computed it yet (null, as often right after
 *   `opened`), the head commit. The merge commit of a `synchronize` event
 *   can still be the one of the previous head, as GitHub computes it
 *   asynchronously: `pullRequest.headSha` is always the pushed commit.
 *
 * A payload that is not what its topic promises is `invalid` with the
 * first field at fault; nothing is thrown.
 *
 * @public
 */
export function repositoryEventFromEvent(
  event: EventParams,
): RepositoryEventResult {
  const topic = String(event?.topic);
  const kind = KIND_OF_TOPIC.get(topic);
  if (!kind) {
    return ignored(
      `topic "${topic}" is neither ${GITHUB_PUSH_EVENT_TOPIC} nor ${GITHUB_PULL_REQUEST_EVENT_TOPIC}`,
    );
  }
  const githubEvent = header(event.metadata, 'x-github-event');
  if (githubEvent !== undefined && githubEvent !== kind) {
    return invalid(
      `${topic} event carries metadata x-github-event "${githubEvent}"`,
    );
  }
  const deliveryId = header(event.metadata, 'x-github-delivery');
  if (deliveryId === undefined || deliveryId === '') {
    return invalid(`${topic} event has no metadata x-github-delivery`);
  }
  if (!DELIVERY_ID.test(deliveryId)) {
    return invalid(
      `${topic} event has an invalid metadata x-github-delivery (letters, digits, ".", "_", ":" and "-", at most 128)`,
    );
  }
  const payload = event.eventPayload;
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    return invalid(`${topic} payload is not an object`);
  }

  if (kind === 'push') {
    const parsed = pushPayload.safeParse(payload);
    if (!parsed.success) return invalid(describeIssue(topic, parsed.error));
    const p = parsed.data;
    if (!p.ref.startsWith('refs/heads/')) {
      return ignored(
        `push to ${p.ref}: only branches (refs/heads/...) are built`,
      );
    }
    const deleted = ZERO_SHA.test(p.after);
    return {
      result: 'ok',
      event: {
        kind,
        deliveryId,
        repository: toRepository(p.repository),
        ref: p.ref.slice('refs/heads/'.length),
        sha: p.after,
        before: p.before,
        deleted,
        ...(p.head_commit && !deleted
          ? {
              headCommit: {
                message: p.head_commit.message,
                author: toPerson(p.head_commit.author),
              },
            }
          : {}),
        ...(p.pusher ? { pusher: toPerson(p.pusher) } : {}),
      },
    };
  }

  const action = (payload as { action?: unknown }).action;
  if (
    typeof action === 'string' &&
    !(BUILDING_PULL_REQUEST_ACTIONS as ReadonlyArray<string>).includes(action)
  ) {
    return ignored(
      `pull request action "${action}" brings no commit to build (built: ${BUILDING_PULL_REQUEST_ACTIONS.join(
        ', ',
      )})`,
    );
  }
  const parsed = pullRequestPayload.safeParse(payload);
  if (!parsed.success) return invalid(describeIssue(topic, parsed.error));
  const p = parsed.data;
  const pr = p.pull_request;
  return {
    result: 'ok',
    event: {
      kind,
      deliveryId,
      repository: toRepository(p.repository),
      ref: `pr/${p.number}/merge`,
      sha: pr.merge_commit_sha ?? pr.head.sha,
      deleted: false,
      ...(p.sender ? { pusher: { name: p.sender.login } } : {}),
      pullRequest: {
        number: p.number,
        action: p.action,
        headRef: pr.head.ref,
        baseRef: pr.base.ref,
        headSha: pr.head.sha,
      },
    },
  };
}
