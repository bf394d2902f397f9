import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import nodePath from 'node:path';
import express, { ErrorRequestHandler, Request, Response } from 'express';
import Router from 'express-promise-router';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  GithostService,
  RepositoryDetails,
  ZERO_SHA,
  branchProtectionFor,
  gitConfigEnv,
  isValidRepositoryName,
  parseRepositoryPath,
} from '@gitops/plugin-githost-node';
import { PushEventLog } from '../events/PushEventLog';
import { createHostCheck } from './hostCheck';
import { runHttpBackend } from './httpBackend';
import { RefLocks } from './refLocks';
import { RefCommand, readRefCommands, spoolPushBody } from './receivePack';

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
  /** Where push events are recorded before a push completes, and published from. */
  pushEvents: PushEventLog;
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
  const { httpAuth, logger, githost, pushEvents } = options;
  const { store, urls, settings } = githost;
  await fs.mkdir(settings.root, { recursive: true });

  const router = Router();
  const refLocks = new RefLocks();
  // Before every route: requests addressed to another host are refused.
  router.use(createHostCheck(settings.allowedOrigins));

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

  /**
   * Branch protection through git's own checks, set for this push only:
   * `receive.denyDeletes` when the push deletes a protected branch and
   * `receive.denyNonFastForwards` when it updates one. git then refuses
   * exactly those updates with its usual messages ("deletion prohibited",
   * "non-fast-forward") after receiving the objects, which is when a
   * fast-forward can be told. No hook is installed in the repositories.
   * These settings cover every branch of the push they are set for, so a
   * push that updates a protected branch may not force-push another branch
   * in the same push (push it on its own).
   */
  const protectionConfig = async (
    owner: string,
    name: string,
    commands: RefCommand[],
  ): Promise<Record<string, string>> => {
    const rule = branchProtectionFor(settings.branchProtection, owner, name);
    const branches = [...rule.branches];
    if (rule.defaultBranch) {
      // HEAD read from its file: no git process on the push's path.
      branches.push(await store.defaultBranch(owner, name));
    }
    const protectedRefs = new Set(branches.map(b => `refs/heads/${b}`));
    const touched = commands.filter(c => protectedRefs.has(c.ref));
    const config: Record<string, string> = {};
    if (touched.some(c => c.newId === ZERO_SHA)) {
      config['receive.denyDeletes'] = 'true';
    }
    if (touched.some(c => c.newId !== ZERO_SHA && c.oldId !== ZERO_SHA)) {
      config['receive.denyNonFastForwards'] = 'true';
    }
    return config;
  };

  /**
   * A push: received into a file first (bounded in size, time and rate,
   * holding no lock), its ref commands checked (count, protected
   * branches), then handed to git holding the refs it updates (pushes to
   * other branches proceed meanwhile), with each ref update recorded before
   * git runs and settled before the response ends.
   */
  const receivePush = async (
    req: Request,
    res: Response,
    owner: string,
    name: string,
    file: string,
    helpers: {
      text: (status: number, message: string) => void;
      logFailure: (result: { exitCode: number | null; stderr: string }) => void;
    },
  ) => {
    const { limits } = settings;
    const spooled = await spoolPushBody(req, file, limits);
    if (!spooled.ok) {
      res.on('finish', () => req.destroy());
      helpers.text(spooled.status, spooled.message);
      logger.warn(`Push to ${owner}/${name} refused: ${spooled.message}`);
      return;
    }
    const parsed = await readRefCommands(file, limits.maxRefsPerPush);
    if (!parsed.ok) {
      helpers.text(
        parsed.reason.startsWith('more than') ? 413 : 400,
        `Push refused: ${parsed.reason}`,
      );
      return;
    }
    const gitConfig = {
      'receive.maxInputSize': String(limits.maxPushBytes),
      ...(await protectionConfig(owner, name, parsed.commands)),
    };
    try {
      const keys = parsed.commands.map(c => `${owner}/${name}:${c.ref}`);
      await refLocks.run(keys, async () => {
        const refsBefore = await store.listRefs(owner, name);
        const ids = await pushEvents.begin({
          owner,
          name,
          updates: parsed.commands.map(c => ({
            ref: c.ref,
            before: refsBefore[c.ref] ?? ZERO_SHA,
            after: c.newId,
          })),
          pusher: { name: ANONYMOUS_PUSHER },
          refsBefore,
        });
        helpers.logFailure(
          await runHttpBackend(req, res, {
            projectRoot: store.root,
            pathInfo: `/${owner}/${name}.git/git-receive-pack`,
            queryString: '',
            remoteUser: ANONYMOUS_PUSHER,
            timeoutMs: GIT_HTTP_TIMEOUT_MS,
            body: { stream: createReadStream(file), length: spooled.size },
            env: gitConfigEnv(gitConfig),
          }),
        );
        // The refs are the truth even when git failed half-way: whatever
        // moved is recorded.
        await pushEvents.settle(ids, await store.listRefs(owner, name));
      });
    } catch (error) {
      // Before git ran (the record could not be written) nothing changed;
      // after it, updates left pending are settled on the next start.
      logger.error(`Push to ${owner}/${name} failed: ${error}`);
      if (!res.headersSent) {
        helpers.text(
          500,
          'The push could not be recorded; nothing was changed',
        );
      }
    } finally {
      res.end();
    }
  };

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

    const tmp = await fs.mkdtemp(nodePath.join(os.tmpdir(), 'githost-push-'));
    try {
      await receivePush(req, res, owner, name, nodePath.join(tmp, 'body'), {
        text,
        logFailure,
      });
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
    // After the response: the record is the truth, publishing may lag.
    pushEvents.publishAccepted().catch(error => {
      logger.error(`Failed to publish push events: ${error}`);
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
      // Size checked before reading; the content streamed, never whole.
      const file = await store.openFile(owner, name, ref, path);
      const chunks = file.stream()[Symbol.asyncIterator]();
      res.on('close', () => {
        chunks.return?.();
      });
      const first = await chunks.next();
      const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
      res.setHeader('ETag', `"${file.sha}"`);
      // User content: never let a browser interpret it.
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Content-Length', String(file.size));
      res.type(
        looksLikeText(head)
          ? 'text/plain; charset=utf-8'
          : 'application/octet-stream',
      );
      res.write(head);
      for (;;) {
        const next = await chunks.next();
        if (next.done) break;
        if (!res.write(next.value)) {
          await new Promise(resolve => res.once('drain', resolve));
        }
      }
      res.end();
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

  router.use(errorHandler(logger));
  return router;
}

/** Errors whose message is meant for the client (Backstage's error classes). */
const CLIENT_ERRORS: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

/**
 * Answers errors with their name and message only, never a stack trace
 * (Backstage's own handler adds one in development); anything unexpected
 * (a failed git command, whose text names paths on disk) is logged and
 * answered with a generic message.
 */
function errorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = CLIENT_ERRORS[error?.name];
    if (status) {
      res.status(status).json({
        error: { name: error.name, message: String(error.message) },
        response: { statusCode: status },
      });
      return;
    }
    if (error?.name === 'NotModifiedError') {
      res.status(304).end();
      return;
    }
    logger.error(`githost request failed: ${error?.stack ?? error}`);
    res.status(500).json({
      error: {
        name: 'Error',
        message: 'The git hosting failed to answer; see the backend log',
      },
      response: { statusCode: 500 },
    });
  };
}

function looksLikeText(content: Buffer): boolean {
  return !content.subarray(0, 8000).includes(0);
}
