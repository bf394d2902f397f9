import fs from 'node:fs/promises';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { assertError } from '@backstage/errors';
import {
  GithostService,
  RepositoryDetails,
  diffRefs,
  isValidRepositoryName,
  parseRepositoryPath,
} from '@gitops/plugin-githost-node';
import { runHttpBackend } from './httpBackend';

/** Time limit of one smart HTTP exchange (a large clone or push). */
const GIT_HTTP_TIMEOUT_MS = 10 * 60_000;

/** The user name git sees for anonymous pushes (reflogs, push events). */
const ANONYMOUS_PUSHER = 'anonymous';

/**
 * The paths of git's smart HTTP protocol, relative to the plugin. git
 * clients cannot send Backstage tokens, so these are opened to
 * unauthenticated requests and the router decides: reads are served,
 * pushes only with `githost.allowAnonymousPush`. Every other route keeps
 * Backstage's default policy (credentials required).
 */
export const GIT_PROTOCOL_PATHS = [
  '/:owner/:repo/info/refs',
  '/:owner/:repo/git-upload-pack',
  '/:owner/:repo/git-receive-pack',
];

/** Options of {@link createRouter}. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  githost: GithostService;
}

/** The JSON shape of a repository in the API. */
export interface RepositoryResponse {
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  headCommit: string | null;
  description: string | null;
  cloneUrl: string;
  htmlUrl: string;
}

/**
 * The githost routes: git smart HTTP, the JSON API and raw file reads.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, logger, githost } = options;
  const { store, urls, settings } = githost;
  await fs.mkdir(settings.root, { recursive: true });

  const router = Router();

  const toResponse = (d: RepositoryDetails): RepositoryResponse => ({
    owner: d.owner,
    name: d.name,
    fullName: `${d.owner}/${d.name}`,
    defaultBranch: d.defaultBranch,
    headCommit: d.headCommit ?? null,
    description: d.description ?? null,
    cloneUrl: urls.cloneUrl(d.owner, d.name),
    htmlUrl: urls.htmlUrl(d.owner, d.name),
  });

  // ---- JSON API (Backstage credentials) -------------------------------

  router.get('/repositories', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const items = [];
    for (const { owner, name } of await store.list()) {
      items.push(toResponse(await store.describe(owner, name)));
    }
    res.json({ items });
  });

  router.get('/repositories/:owner/:name', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(
      toResponse(await store.describe(req.params.owner, req.params.name)),
    );
  });

  // ---- git smart HTTP (anonymous; see GIT_PROTOCOL_PATHS) -------------

  const serveGit = async (
    req: Request,
    res: Response,
    owner: string,
    name: string,
    service: 'git-upload-pack' | 'git-receive-pack',
    advertisement: boolean,
  ) => {
    const text = (status: number, message: string) => {
      res.status(status).type('text/plain').send(`${message}\n`);
    };
    // Names are checked before anything touches the disk: this is where
    // '..', encoded slashes and absolute paths end.
    if (!isValidRepositoryName(owner) || !isValidRepositoryName(name)) {
      text(400, 'Invalid repository path');
      return;
    }
    const isPush = service === 'git-receive-pack';
    if (isPush && !settings.allowAnonymousPush) {
      text(
        403,
        `Pushing to ${owner}/${name} over HTTP is disabled on this Backstage (githost.allowAnonymousPush is false)`,
      );
      return;
    }
    if (!(await store.exists(owner, name))) {
      text(404, `Repository ${owner}/${name} not found`);
      return;
    }

    const run = () =>
      runHttpBackend(req, res, {
        projectRoot: store.root,
        pathInfo: `/${owner}/${name}.git/${
          advertisement ? 'info/refs' : service
        }`,
        queryString: advertisement ? `service=${service}` : '',
        remoteUser: isPush ? ANONYMOUS_PUSHER : undefined,
        timeoutMs: GIT_HTTP_TIMEOUT_MS,
      });

    const logFailure = (result: {
      exitCode: number | null;
      stderr: string;
    }) => {
      if (result.exitCode !== 0) {
        logger.warn(
          `git http-backend ${service} for ${owner}/${name} exited with ${
            result.exitCode
          }: ${result.stderr.trim()}`,
        );
      }
    };

    if (!isPush || advertisement) {
      try {
        logFailure(await run());
      } finally {
        res.end();
      }
      return;
    }

    // A push: refs before and after, under a lock so that they belong to
    // this push; the response ends after the events are published.
    await store.withWriteLock(owner, name, async () => {
      try {
        const refsBefore = await store.listRefs(owner, name);
        logFailure(await run());
        // The refs are the truth even when git failed half-way: whatever
        // moved is announced.
        const updates = diffRefs(refsBefore, await store.listRefs(owner, name));
        if (updates.length === 0) return;
        try {
          await githost.publishPushEvents(owner, name, updates, {
            pusher: { name: ANONYMOUS_PUSHER },
            refsBefore,
          });
        } catch (error) {
          assertError(error);
          // The push itself succeeded; subscribers miss this one.
          logger.error(
            `Failed to publish push events for ${owner}/${name}: ${error.message}`,
          );
        }
      } finally {
        res.end();
      }
    });
  };

  router.get(/^\/([^/]+)\/([^/]+)\.git\/info\/refs$/, async (req, res) => {
    const service = req.query.service;
    if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
      res
        .status(403)
        .type('text/plain')
        .send("Only git's smart HTTP protocol is served\n");
      return;
    }
    await serveGit(req, res, req.params[0], req.params[1], service, true);
  });

  router.post(
    /^\/([^/]+)\/([^/]+)\.git\/(git-upload-pack|git-receive-pack)$/,
    async (req, res) => {
      await serveGit(
        req,
        res,
        req.params[0],
        req.params[1],
        req.params[2] as 'git-upload-pack' | 'git-receive-pack',
        false,
      );
    },
  );

  // ---- files and folders (Backstage credentials) ----------------------

  router.get(/^\/[^/]+\/[^/]+\/(blob|tree)\/.+/, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { owner, name, kind, segments } = parseRepositoryPath(req.path);
    const { ref, path } = await store.splitRefAndPath(owner, name, segments);
    if (kind === 'blob') {
      const file = await store.readFile(owner, name, ref, path);
      res.setHeader('ETag', `"${file.sha}"`);
      // User content: never let a browser interpret it.
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.type(
        looksLikeText(file.content)
          ? 'text/plain; charset=utf-8'
          : 'application/octet-stream',
      );
      res.send(file.content);
      return;
    }
    const { commit, entries } = await store.listTree(owner, name, ref, path);
    res.json({
      owner,
      name,
      ref,
      commit,
      path,
      entries: entries.map(e => ({
        path: e.path,
        type: e.type,
        ...(e.size !== undefined ? { size: e.size } : {}),
        url:
          e.type === 'file'
            ? urls.blobUrl(
                owner,
                name,
                ref,
                path ? `${path}/${e.path}` : e.path,
              )
            : undefined,
      })),
    });
  });

  return router;
}

function looksLikeText(content: Buffer): boolean {
  return !content.subarray(0, 8000).includes(0);
}
