import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UrlReaderService,
  AuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { assertError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { fileProblem, filesToText } from '@gitops/descriptors-common';
import {
  expandPipelineAtCommit,
  LOCATION_ANNOTATIONS,
} from '@gitops/descriptors-node';
import {
  pipelineFiles,
  pipelinesRunReadPermission,
  pipelinesRunTriggerPermission,
  RunSummary,
} from '@gitops/plugin-pipelines-common';
import type { Request, Response } from 'express';
import { createOpenApiRouter } from '../schema/openapi.generated';
import type { RunStore } from '../database/RunStore';
import {
  isMissingBuildInfo,
  originOf,
  repositoryOfEntity,
  Triggers,
} from '../runtime/Triggers';
import { LiveLogs } from '../runtime/LiveLogs';
import { logEvent } from './sse';

/** The most text one event of a followed log carries from memory. */
const FOLLOW_EVENT_BYTES = 256 * 1024;
/** ... and from the store, which reads (and unzips) whole chunks. */
const FOLLOW_STORE_BYTES = 1024 * 1024;

/** What the router needs. */
export interface RouterOptions {
  store: RunStore;
  triggers: Triggers;
  /** Cancels a run executing on this instance at once; other replicas see the request on their heartbeat. */
  cancelLocal(runId: string): void;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  reader: UrlReaderService;
  logger: LoggerService;
  /** Told when the router changed a run (a queued run cancelled). */
  onChange(run: RunSummary): void;
  /** How often a followed log is read from the store, in milliseconds. */
  followPollMs?: number;
  /** The running steps' output on this replica (else followers poll the store). */
  live?: LiveLogs;
}

type ResourcePermissionOf = ResourcePermission<'catalog-entity'>;

/**
 * The HTTP API of the CI/CD tab (src/schema/openapi.yaml), on a router
 * typed and validated from the spec. Every route checks
 * `pipelines.run.read` or `pipelines.run.trigger` on the component.
 */
export async function createRouter(options: RouterOptions) {
  const {
    store,
    triggers,
    httpAuth,
    permissions,
    auditor,
    catalog,
    reader,
    auth,
    followPollMs = 300,
  } = options;
  const live = options.live ?? new LiveLogs();
  const router = await createOpenApiRouter();

  const authorize = async (
    req: Request<any, any, any, any>,
    permission: ResourcePermissionOf,
    entityRef: string,
  ) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${permission.name} is not allowed on ${entityRef}`,
      );
    }
    return credentials;
  };

  const actorOf = (credentials: Awaited<ReturnType<typeof authorize>>) =>
    auth.isPrincipal(credentials, 'user')
      ? credentials.principal.userEntityRef
      : 'service';

  const entityRefOf = (p: { kind: string; namespace: string; name: string }) =>
    stringifyEntityRef({
      kind: p.kind,
      namespace: p.namespace,
      name: p.name,
    });

  /** A run and the permission on its component, or 404. */
  const runFor = async (
    req: Request<any, any, any, any>,
    runId: string,
    permission: ResourcePermissionOf,
  ) => {
    const run = await store.getRunSummary(runId);
    if (!run) throw new NotFoundError(`no run ${runId}`);
    const credentials = await authorize(req, permission, run.entityRef);
    return { run, credentials };
  };

  /** Runs an action that changes the world as an audited event. */
  const audited = async <T extends RunSummary>(
    req: Request<any, any, any, any>,
    eventId: string,
    meta: Record<string, string | boolean | undefined>,
    action: () => Promise<T>,
  ): Promise<T> => {
    const clean = Object.fromEntries(
      Object.entries(meta).filter(([, v]) => v !== undefined),
    ) as Record<string, string | boolean>;
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta: clean,
    });
    try {
      const result = await action();
      await event.success({
        meta: { runId: result.id, status: result.status },
      });
      return result;
    } catch (error) {
      assertError(error);
      await event.fail({ error });
      throw error;
    }
  };

  router.get('/entities/:kind/:namespace/:name/runs', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    await authorize(req, pipelinesRunReadPermission, entityRef);
    const q = req.query;
    const page = await store.listRuns(
      entityRef,
      { pipeline: q.pipeline, ref: q.ref, sha: q.sha, status: q.status },
      { offset: q.offset ?? 0, limit: q.limit ?? 20 },
    );
    res.json(page);
  });

  router.post('/entities/:kind/:namespace/:name/runs', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const credentials = await authorize(
      req,
      pipelinesRunTriggerPermission,
      entityRef,
    );
    const run = await audited(
      req,
      'run-start',
      { entityRef, pipeline: req.body.pipeline, ref: req.body.ref },
      async () => {
        const entity = await catalog.getEntityByRef(entityRef, {
          credentials,
        });
        if (!entity) throw new NotFoundError(`no entity ${entityRef}`);
        return triggers.startManual({
          entity,
          pipeline: req.body.pipeline,
          ref: req.body.ref,
          actor: actorOf(credentials),
        });
      },
    );
    res.status(201).json(run);
  });

  router.get('/entities/:kind/:namespace/:name/pipeline', async (req, res) => {
    const entityRef = entityRefOf(req.params);
    const credentials = await authorize(
      req,
      pipelinesRunReadPermission,
      entityRef,
    );
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`no entity ${entityRef}`);
    const repo = repositoryOfEntity(entity);
    if (!repo) {
      // Registered from a file, not a repository: nothing can build it, and
      // the tab says why.
      res.json({
        ref: req.query.ref ?? '',
        problems: [
          fileProblem(
            'catalog-info.yaml',
            `${entityRef} is not registered from a repository (no url: ${LOCATION_ANNOTATIONS.managedBy} or ${LOCATION_ANNOTATIONS.source}); builds run for components whose files live in a git repository`,
          ),
        ],
      });
      return;
    }
    const remote = await triggers.resolveRef(repo.cloneUrl, req.query.ref);
    const expanded = await expandPipelineAtCommit(reader, entity, remote.sha, {
      repository: { htmlUrl: repo.htmlUrl },
      knownRefs: [remote.defaultBranch, remote.ref],
      catalog: {
        service: catalog,
        credentials: await auth.getOwnServiceCredentials(),
      },
    });
    if (!expanded.ok) {
      if (isMissingBuildInfo(expanded.problems)) {
        // The tab shows how to add one.
        throw new NotFoundError(
          `${entityRef} has no build-info.yaml at ${
            remote.ref
          } (${remote.sha.slice(0, 7)})`,
        );
      }
      res.json({
        ref: remote.ref,
        sha: remote.sha,
        problems: expanded.problems,
      });
      return;
    }
    const { pipeline } = expanded.value;
    const files = { component: entity.metadata.name };
    res.json({
      ref: remote.ref,
      sha: remote.sha,
      origin: originOf(expanded.value),
      pipelines: pipeline.pipelines as unknown as Record<string, unknown>[],
      yaml: filesToText(pipelineFiles(pipeline, 'tingle', files)),
      githubActions: filesToText(
        pipelineFiles(pipeline, 'github-actions', files),
      ),
      argoWorkflows: filesToText(
        pipelineFiles(pipeline, 'argo-workflows', files),
      ),
      problems: [],
    });
  });

  router.get('/runs/:runId', async (req, res) => {
    await runFor(req, req.params.runId, pipelinesRunReadPermission);
    const run = await store.getRun(req.params.runId);
    if (!run) throw new NotFoundError(`no run ${req.params.runId}`);
    res.json(run as any);
  });

  router.post('/runs/:runId/rerun', async (req, res) => {
    const { run, credentials } = await runFor(
      req,
      req.params.runId,
      pipelinesRunTriggerPermission,
    );
    const fromFailed = Boolean(req.body?.fromFailed);
    const created = await audited(
      req,
      'run-rerun',
      { entityRef: run.entityRef, rerunOf: run.id, fromFailed },
      () =>
        triggers.rerun({
          runId: run.id,
          fromFailed,
          actor: actorOf(credentials),
        }),
    );
    res.status(201).json(created);
  });

  router.post('/runs/:runId/cancel', async (req, res) => {
    const { run } = await runFor(
      req,
      req.params.runId,
      pipelinesRunTriggerPermission,
    );
    const cancelled = await audited(
      req,
      'run-cancel',
      { entityRef: run.entityRef, runId: run.id },
      async () => {
        const result = (await store.requestCancel(run.id))!;
        options.cancelLocal(run.id);
        // A queued run is cancelled here; a running one by its executor.
        if (result.status === 'cancelled') options.onChange(result);
        return result;
      },
    );
    res.json(cancelled);
  });

  router.get('/runs/:runId/steps/:stepId/log', async (req, res) => {
    await runFor(req, req.params.runId, pipelinesRunReadPermission);
    const range = await store.readLog(
      req.params.runId,
      req.params.stepId,
      req.query.offset ?? 0,
      req.query.limit ?? 1024 * 1024,
    );
    if (!range) {
      throw new NotFoundError(
        `run ${req.params.runId} has no step ${req.params.stepId}`,
      );
    }
    res.json({ stepId: req.params.stepId, ...range });
  });

  router.get('/runs/:runId/steps/:stepId/log/follow', async (req, res) => {
    await runFor(req, req.params.runId, pipelinesRunReadPermission);
    const { runId, stepId } = req.params;
    let offset = req.query.offset ?? 0;
    // The step exists (an empty range reads no chunk).
    const step = await store.readLogBytes(runId, stepId, offset, 0);
    if (!step) throw new NotFoundError(`run ${runId} has no step ${stepId}`);
    await followLog(res, req, {
      next: async () => {
        // Output of a step running here comes from memory; the rest (and
        // the end, with the stored flags) from the store.
        const fresh = live.read(stepId, offset, FOLLOW_EVENT_BYTES);
        if (fresh.kind === 'data') {
          const event = logEvent(
            {
              stepId,
              offset,
              nextOffset: fresh.nextOffset,
              complete: false,
              truncated: fresh.truncated,
            },
            fresh.bytes,
          );
          offset = fresh.nextOffset;
          return { event, done: false };
        }
        if (fresh.kind === 'caught-up') return { done: false };
        // A stored chunk is read whole: take up to a chunk's worth.
        const range = await store.readLogBytes(
          runId,
          stepId,
          offset,
          FOLLOW_STORE_BYTES,
        );
        if (!range) return { done: true };
        offset = range.nextOffset;
        const { bytes, ...fields } = range;
        return {
          // The last event always comes, so its flags (truncated) are seen.
          event:
            bytes.length || range.complete
              ? logEvent({ stepId, ...fields }, bytes)
              : undefined,
          done: range.complete,
        };
      },
      wait: () => live.wait(stepId, offset, followPollMs),
    });
  });

  return router;
}

/**
 * Server-sent events: `log` events with each new range, `end` once the
 * step has finished and everything was sent; a comment every 15 s keeps
 * proxies from closing the stream.
 */
async function followLog(
  res: Response,
  req: Request<any, any, any, any>,
  source: {
    /** The next event, and whether the log is complete. */
    next: () => Promise<{ event?: Buffer; done: boolean }>;
    /** Resolves when more may be there. */
    wait: () => Promise<void>;
  },
) {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  let closed = false;
  req.on('close', () => {
    closed = true;
  });
  let lastWrite = Date.now();
  // A slow reader holds the stream, not the backend's memory.
  const drained = () =>
    new Promise<void>(resolve => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  while (!closed) {
    const { event, done } = await source.next();
    if (event) {
      if (!res.write(event) && !closed && !res.destroyed) await drained();
      lastWrite = Date.now();
      // More is probably waiting: read again at once.
      if (!done) continue;
    }
    if (done) {
      res.write('event: end\ndata: {}\n\n');
      break;
    }
    if (Date.now() - lastWrite > 15_000) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
    await source.wait();
  }
  res.end();
}
