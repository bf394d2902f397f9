import fs from 'node:fs/promises';
import {
  AuthService,
  BackstageCredentials,
  resolveSafeChildPath,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GithostService,
  ZERO_SHA,
  assertRefName,
  assertRepositoryName,
} from '@gitops/plugin-githost-node';
import { mayPublishUnder } from './owners';
import { examples } from './publish.examples';

const DEFAULT_AUTHOR = { name: 'Scaffolder', email: 'scaffolder@backstage.io' };

/**
 * Reads `owner` and `repo` out of a RepoUrlPicker value
 * (`<host>?owner=<owner>&repo=<name>`). The host must be the githost's own
 * (e.g. `localhost:7007`), so that a template aimed at GitHub cannot land
 * here by mistake.
 *
 * @public
 */
export function parseGithostRepoUrl(
  repoUrl: string,
  expectedHost: string,
): { owner: string; name: string } {
  let url: URL;
  try {
    url = new URL(`https://${repoUrl}`);
  } catch {
    throw new InputError(
      `Invalid repoUrl ${JSON.stringify(
        repoUrl,
      )}: expected ${expectedHost}?owner=<owner>&repo=<name>`,
    );
  }
  if (url.host !== expectedHost) {
    throw new InputError(
      `publish:githost publishes to ${expectedHost}, but repoUrl names the host ${JSON.stringify(
        url.host,
      )}`,
    );
  }
  const owner = url.searchParams.get('owner') ?? '';
  const name = url.searchParams.get('repo') ?? '';
  if (!owner || !name) {
    throw new InputError(
      `repoUrl must name an owner and a repo: ${expectedHost}?owner=<owner>&repo=<name>`,
    );
  }
  assertRepositoryName(owner, name);
  return { owner, name };
}

/**
 * Options of {@link createPublishGithostAction}.
 *
 * @public
 */
export interface PublishGithostActionOptions {
  /** The local git hosting to publish to. */
  githost: GithostService;
  /** Tells a user principal from a service. */
  auth: AuthService;
  /** The groups of the user who runs the template. */
  userInfo: UserInfoService;
  /**
   * Members of this group may publish under any owner
   * (`gitops.permissions.platformGroup`: `group:default/platform`, or a
   * group name of the default namespace). None when unset.
   */
  platformGroup?: string;
}

/**
 * `publish:githost`: creates a repository on the local git hosting and
 * commits the workspace into it (the local analogue of `publish:github`).
 * A `github.push` event is published for the first commit, exactly as a
 * push over HTTP would. Only under an owner that is one of the user's
 * groups (or the user), or for members of the platform group; in a dry run
 * too.
 *
 * @public
 */
export function createPublishGithostAction(
  options: PublishGithostActionOptions,
) {
  const { githost, auth, userInfo, platformGroup } = options;
  const { store, urls } = githost;

  /** Refuses an owner the user who runs the template does not belong to. */
  async function assertMayPublishUnder(
    owner: string,
    credentials: BackstageCredentials,
  ) {
    if (!auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        `publish:githost creates repositories for signed-in users only; ${describePrincipal(
          credentials,
        )}`,
      );
    }
    const publisher = await userInfo.getUserInfo(credentials);
    const decision = mayPublishUnder(owner, publisher, platformGroup);
    if (!decision.allowed) throw new NotAllowedError(decision.reason);
  }

  return createTemplateAction({
    id: 'publish:githost',
    description:
      "Creates a repository on the local git hosting (the backend's /api/githost) and commits the workspace into it. The local analogue of publish:github; its push raises the same github.push event.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              `Where to publish, in RepoUrlPicker format: <host>?owner=<owner>&repo=<name>. The host must be the githost's (${urls.host}); owner and repo are 1-63 characters of a-z, 0-9, '-', '_' and '.'`,
            ),
        defaultBranch: z =>
          z
            .string()
            .default('master')
            .describe('The branch to commit to, and the repository HEAD'),
        description: z =>
          z
            .string()
            .optional()
            .describe('One line saying what the repository is'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder inside the workspace to publish; the workspace root when omitted',
            ),
        gitCommitMessage: z =>
          z
            .string()
            .default('initial commit')
            .describe('Message of the first commit'),
        gitAuthorName: z =>
          z
            .string()
            .default(DEFAULT_AUTHOR.name)
            .describe('Author name of the first commit'),
        gitAuthorEmail: z =>
          z
            .string()
            .default(DEFAULT_AUTHOR.email)
            .describe('Author email of the first commit'),
      },
      output: {
        remoteUrl: z => z.string().describe('The clone URL (git smart HTTP)'),
        repoContentsUrl: z =>
          z
            .string()
            .describe(
              "URL of the repository's root at the branch (for catalog:register)",
            ),
        catalogInfoUrl: z =>
          z.string().describe('URL of catalog-info.yaml at the branch'),
        commitHash: z =>
          z.string().describe('The commit created (40 zeros in a dry run)'),
      },
    },
    async handler(ctx) {
      const {
        repoUrl,
        defaultBranch = 'master',
        description,
        sourcePath,
        gitCommitMessage = 'initial commit',
        gitAuthorName = DEFAULT_AUTHOR.name,
        gitAuthorEmail = DEFAULT_AUTHOR.email,
      } = ctx.input;

      // Everything is validated before anything is created, in a dry run
      // exactly as in a real one.
      const { owner, name } = parseGithostRepoUrl(repoUrl, urls.host);
      await assertMayPublishUnder(owner, await ctx.getInitiatorCredentials());
      assertRefName(defaultBranch);
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        sourcePath ?? '.',
      );
      if (!(await fs.stat(sourceDir).catch(() => undefined))?.isDirectory()) {
        throw new InputError(
          `sourcePath ${JSON.stringify(
            sourcePath,
          )} is not a folder in the workspace`,
        );
      }

      ctx.output('remoteUrl', urls.cloneUrl(owner, name));
      ctx.output('repoContentsUrl', urls.treeUrl(owner, name, defaultBranch));
      ctx.output(
        'catalogInfoUrl',
        urls.blobUrl(owner, name, defaultBranch, 'catalog-info.yaml'),
      );

      if (ctx.isDryRun) {
        if (await store.exists(owner, name)) {
          throw new ConflictError(`Repository ${owner}/${name} already exists`);
        }
        ctx.logger.info(
          `Dry run: would create ${owner}/${name} and commit ${
            sourcePath ?? 'the workspace'
          } to ${defaultBranch}`,
        );
        ctx.output('commitHash', ZERO_SHA);
        return;
      }

      // Each side effect is its own checkpoint: a resumed task neither
      // creates the repository twice (a ConflictError) nor commits twice.
      await ctx.checkpoint({
        key: `githost.create.${owner}/${name}`,
        fn: async () => {
          await store.create(owner, name, { defaultBranch, description });
        },
      });
      const update = await ctx.checkpoint({
        key: `githost.commit.${owner}/${name}`,
        fn: async () => {
          const { ref, before, after } = await store.commitDirectory(
            owner,
            name,
            {
              sourceDir,
              branch: defaultBranch,
              message: gitCommitMessage,
              author: { name: gitAuthorName, email: gitAuthorEmail },
            },
          );
          return { ref, before, after };
        },
      });
      // The commit went to disk, not through git-receive-pack over HTTP, so
      // the push event the HTTP route would raise is published here.
      await ctx.checkpoint({
        key: `githost.push-event.${owner}/${name}`,
        fn: async () => {
          await githost.publishPushEvents(owner, name, [update], {
            pusher: {
              name: pusherName(ctx.user?.ref) ?? gitAuthorName,
              email: gitAuthorEmail,
            },
            refsBefore: {},
          });
        },
      });
      ctx.logger.info(
        `Published ${owner}/${name}: ${urls.cloneUrl(owner, name)} at ${
          update.after
        }`,
      );
      ctx.output('commitHash', update.after);
    },
  });
}

/** Who started the task, when it is not a user, for the refusal. */
function describePrincipal(credentials: BackstageCredentials): string {
  const { type } = credentials.principal as { type?: string };
  return type === 'service'
    ? 'it was started by a service'
    : 'it was started without a signed-in user';
}

/** `user:default/jane` → `jane`. */
function pusherName(userRef: string | undefined): string | undefined {
  if (!userRef) return undefined;
  return userRef.slice(userRef.lastIndexOf('/') + 1) || undefined;
}
