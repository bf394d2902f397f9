import {
  LoggerService,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  DEFAULT_GITHOST_LIMITS,
  GithostSettings,
  readGithostSettings,
} from '../config';
import { GithostUrls } from '../urls';
import { GitRepositoryStore } from './GitRepositoryStore';
import { ZERO_SHA } from './names';
import {
  GITHUB_PUSH_TOPIC,
  GithubPushEventPayload,
  MAX_PUSH_COMMITS,
  buildPushEventPayload,
  createPushEventMetadata,
} from './pushEvent';
import { CommitInfo, RefUpdate, RepositoryStore } from './RepositoryStore';

/** Where push events go: Backstage's EventsService fits. @public */
export interface PushEventSink {
  publish(params: EventParams): Promise<void>;
}

/** Who pushed, and the refs as they were before the push. @public */
export interface PublishPushEventsOptions {
  pusher: { name: string; email?: string };
  /**
   * Every ref before the push (from `listRefs`). A created branch lists only
   * the commits no other ref already had, as GitHub does.
   */
  refsBefore?: Record<string, string>;
  /**
   * The `x-github-delivery` id of each update's event (same order). An event
   * published again after a crash keeps its id, so consumers that remember
   * deliveries handle it once. A new id per event when absent.
   */
  deliveryIds?: string[];
}

/**
 * Publishes one `github.push` event per ref update, with the commits read
 * from the repository. Shared by the smart HTTP route and the scaffolder
 * action (which commits without going through HTTP).
 *
 * @public
 */
export async function publishPushEvents(options: {
  store: RepositoryStore;
  urls: GithostUrls;
  events: PushEventSink;
  owner: string;
  name: string;
  updates: RefUpdate[];
  pusher: { name: string; email?: string };
  refsBefore?: Record<string, string>;
  deliveryIds?: string[];
}): Promise<GithubPushEventPayload[]> {
  const { store, urls, events, owner, name, updates, pusher } = options;
  if (updates.length === 0) return [];
  const defaultBranch = await store.defaultBranch(owner, name);
  const payloads: GithubPushEventPayload[] = [];
  for (const [index, update] of updates.entries()) {
    const deleted = update.after === ZERO_SHA;
    const created = update.before === ZERO_SHA;
    let commits: CommitInfo[] = [];
    let headCommit: CommitInfo | undefined;
    let forced = false;
    if (!deleted) {
      // Tags carry no commit list in GitHub's push events.
      if (update.ref.startsWith('refs/heads/')) {
        const otherRefs = Object.entries(options.refsBefore ?? {})
          .filter(([ref]) => ref !== update.ref)
          .map(([, sha]) => sha);
        const read = await store.readCommits(owner, name, update, {
          limit: MAX_PUSH_COMMITS,
          otherRefs,
        });
        commits = read.commits;
        // The newest pushed commit is usually the head: read it once.
        headCommit = commits.find(c => c.id === update.after);
        if (!created) {
          // `before` is an ancestor of `after` exactly when one of the
          // commits in before..after has it as a parent; that needs every
          // commit of the range, else git is asked.
          forced =
            read.total <= commits.length
              ? !commits.some(c => c.parents.includes(update.before))
              : !(await store.isAncestor(
                  owner,
                  name,
                  update.before,
                  update.after,
                ));
        }
      }
      headCommit ??= await store.readCommit(owner, name, update.after);
    }
    const payload = buildPushEventPayload({
      owner,
      name,
      update,
      commits,
      headCommit,
      forced,
      defaultBranch,
      pusher,
      urls,
    });
    await events.publish({
      topic: GITHUB_PUSH_TOPIC,
      eventPayload: payload,
      metadata: createPushEventMetadata(options.deliveryIds?.[index]),
    });
    payloads.push(payload);
  }
  return payloads;
}

/**
 * The local git hosting as one service: settings, the repository store, its
 * URLs and push events. The githost plugin and the scaffolder module use it.
 *
 * @public
 */
export interface GithostService {
  readonly settings: GithostSettings;
  readonly store: RepositoryStore;
  readonly urls: GithostUrls;
  /** Where push events go (the plugin's events service). */
  readonly events: PushEventSink;
  /** Publishes a `github.push` event per update (see {@link publishPushEvents}). */
  publishPushEvents(
    owner: string,
    name: string,
    updates: RefUpdate[],
    options: PublishPushEventsOptions,
  ): Promise<GithubPushEventPayload[]>;
}

/**
 * {@link GithostService} over {@link GitRepositoryStore}.
 *
 * @public
 */
export class DefaultGithostService implements GithostService {
  readonly settings: GithostSettings;
  readonly store: RepositoryStore;
  readonly urls: GithostUrls;
  readonly events: PushEventSink;
  readonly #logger?: LoggerService;

  static fromConfig(
    config: Config,
    options: { events: PushEventSink; logger?: LoggerService },
  ): DefaultGithostService {
    const settings = readGithostSettings(config);
    return new DefaultGithostService({
      settings,
      store: new GitRepositoryStore({
        root: settings.root,
        maxBlobBytes: settings.limits.maxBlobBytes,
        maxConcurrentReads: settings.limits.maxConcurrentReads,
      }),
      urls: new GithostUrls(settings.baseUrl),
      ...options,
    });
  }

  constructor(options: {
    /** The settings; those left out get their defaults. */
    settings: Pick<GithostSettings, 'root' | 'allowAnonymousPush' | 'baseUrl'> &
      Partial<GithostSettings>;
    store: RepositoryStore;
    urls: GithostUrls;
    events: PushEventSink;
    logger?: LoggerService;
  }) {
    this.settings = {
      allowedOrigins: [new URL(options.settings.baseUrl).origin],
      limits: DEFAULT_GITHOST_LIMITS,
      branchProtection: {
        rule: { defaultBranch: true, branches: [] },
        repositories: {},
      },
      ...options.settings,
    };
    this.store = options.store;
    this.urls = options.urls;
    this.events = options.events;
    this.#logger = options.logger;
  }

  async publishPushEvents(
    owner: string,
    name: string,
    updates: RefUpdate[],
    options: PublishPushEventsOptions,
  ): Promise<GithubPushEventPayload[]> {
    const payloads = await publishPushEvents({
      store: this.store,
      urls: this.urls,
      events: this.events,
      owner,
      name,
      updates,
      ...options,
    });
    for (const p of payloads) {
      this.#logger?.info(
        `Published ${GITHUB_PUSH_TOPIC} for ${owner}/${name} ${
          p.ref
        } ${p.before.slice(0, 7)}..${p.after.slice(0, 7)}`,
      );
    }
    return payloads;
  }
}

/**
 * The {@link GithostService} of a plugin, built from config with the
 * plugin's events service. Modules of other plugins (the scaffolder's
 * publish:githost) depend on it to reach the same repositories.
 *
 * @public
 */
export const githostServiceRef = createServiceRef<GithostService>({
  id: 'gitops.githost',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsServiceRef,
      },
      factory({ config, logger, events }) {
        return DefaultGithostService.fromConfig(config, { events, logger });
      },
    }),
});
