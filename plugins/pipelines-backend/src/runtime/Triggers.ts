import { randomUUID } from 'node:crypto';
import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError, stringifyError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventParams } from '@backstage/plugin-events-node';
import {
  DESCRIPTOR_FILES,
  DescriptorProblem,
} from '@gitops/descriptors-common';
import {
  expandPipelineAtCommit,
  findComponentsForRepository,
  LOCATION_ANNOTATIONS,
  PipelineAtCommit,
  RepositoryEvent,
  repositoryEventFromEvent,
} from '@gitops/descriptors-node';
import type {
  PipelineOrigin,
  RunSummary,
  RunTrigger,
} from '@gitops/plugin-pipelines-common';
import type { RunStore } from '../database/RunStore';
import { yieldToEventLoop } from './Pump';
import { pipelinesForEvent } from './selection';
import { lsRemote } from './git';

/** Name of the run created when build-info.yaml is invalid at a commit. */
export const INVALID_BUILD_INFO_PIPELINE = DESCRIPTOR_FILES.build;

/** The stored delivery: the event as the events service passed it. */
interface StoredDelivery {
  payload: unknown;
  metadata?: Record<string, string | string[] | undefined>;
}

const MAX_ATTEMPTS = 3;

/** The repository page of an entity, from its location annotations. */
export function repositoryOfEntity(
  entity: Entity,
): { htmlUrl: string; cloneUrl: string } | undefined {
  const annotations = entity.metadata.annotations ?? {};
  for (const key of [
    LOCATION_ANNOTATIONS.managedBy,
    LOCATION_ANNOTATIONS.source,
    LOCATION_ANNOTATIONS.origin,
  ]) {
    const value = annotations[key];
    if (!value?.startsWith('url:')) continue;
    const match = /^(https?:\/\/[^?#]+?)\/(?:blob|tree)\//.exec(value.slice(4));
    if (match) return { htmlUrl: match[1], cloneUrl: `${match[1]}.git` };
  }
  return undefined;
}

/** Where an expanded pipeline came from, as runs store and show it. */
export const originOf = (
  expanded: Pick<PipelineAtCommit, 'origin'>,
): PipelineOrigin =>
  expanded.origin.kind === 'template'
    ? {
        template: expanded.origin.type,
        options: { ...expanded.origin.options },
      }
    : { template: 'custom' };

/** The only problem is that build-info.yaml is absent: nothing to build. */
export const isMissingBuildInfo = (problems: DescriptorProblem[]) =>
  problems.length > 0 &&
  problems.every(
    p => p.file === DESCRIPTOR_FILES.build && p.message.startsWith('missing'),
  );

/**
 * Turns events into runs. `record` is all the events subscriber does (the
 * acknowledgement): the delivery is stored under its id, so a redelivery
 * records nothing. A worker (`processPending`) reads the records, finds the
 * components of the repository, reads their build-info.yaml at the commit
 * and creates one run per component and pipeline under the unique
 * constraint of (delivery, component, pipeline).
 */
export class Triggers {
  constructor(
    private readonly options: {
      store: RunStore;
      catalog: CatalogService;
      reader: UrlReaderService;
      auth: AuthService;
      logger: LoggerService;
      instanceId: string;
      executorId: string;
      onRunsCreated: (runs: RunSummary[]) => void;
      /** Resolves a branch on a remote; `git ls-remote` by default. */
      resolveRef?: typeof lsRemote;
    },
  ) {}

  /** The branch's commit and the default branch, from the remote. */
  resolveRef(cloneUrl: string, ref?: string) {
    return (this.options.resolveRef ?? lsRemote)(cloneUrl, ref);
  }

  /** The acknowledgement of an event: recorded, nothing else. */
  async record(event: EventParams): Promise<boolean> {
    const raw = event.metadata?.['x-github-delivery'];
    const deliveryId = Array.isArray(raw) ? raw[0] : raw;
    if (!deliveryId) {
      this.options.logger.warn(
        `pipelines: ${event.topic} event without an x-github-delivery id refused: nothing recorded`,
      );
      return false;
    }
    const stored: StoredDelivery = {
      payload: event.eventPayload,
      metadata: event.metadata,
    };
    return this.options.store.recordDelivery({
      deliveryId,
      topic: event.topic,
      payload: stored,
    });
  }

  /** Turns recorded deliveries into runs; returns how many were handled. */
  async processPending(limit = 20): Promise<number> {
    const claimed = await this.options.store.claimDeliveries(
      this.options.instanceId,
      limit,
    );
    for (const delivery of claimed) {
      await yieldToEventLoop();
      const stored = delivery.payload as StoredDelivery;
      try {
        await this.#process({
          topic: delivery.topic,
          eventPayload: stored.payload,
          metadata: stored.metadata,
        });
        await this.options.store.finishDelivery(delivery.deliveryId);
      } catch (error) {
        const message = stringifyError(error);
        this.options.logger.warn(
          `pipelines: delivery ${delivery.deliveryId}: ${message}`,
        );
        await this.options.store.releaseDelivery(
          delivery.deliveryId,
          message,
          MAX_ATTEMPTS,
        );
      }
    }
    return claimed.length;
  }

  async #process(event: EventParams): Promise<void> {
    const result = repositoryEventFromEvent(event);
    if (result.result === 'invalid') {
      throw new InputError(
        `not a valid ${event.topic} event: ${result.reason}`,
      );
    }
    if (result.result === 'ignored' || result.event.deleted) return;
    const repoEvent = result.event;
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const components = await findComponentsForRepository(
      catalog,
      repoEvent.repository,
      credentials,
    );
    // The local hosting marks its events; its pushes to other branches
    // stand in for pull requests.
    const localHosting = event.metadata?.['x-gitops-source'] === 'githost';
    const created: RunSummary[] = [];
    for (const entity of components) {
      created.push(
        ...(await this.#runsForComponent(
          entity,
          repoEvent,
          credentials,
          localHosting,
        )),
      );
    }
    if (created.length) this.options.onRunsCreated(created);
  }

  async #runsForComponent(
    entity: Entity,
    event: RepositoryEvent,
    credentials: BackstageCredentials,
    localHosting: boolean,
  ): Promise<RunSummary[]> {
    const entityRef = stringifyEntityRef(entity);
    const expanded = await expandPipelineAtCommit(
      this.options.reader,
      entity,
      event.sha,
      {
        repository: event.repository,
        knownRefs: [event.repository.defaultBranch],
        catalog: { service: this.options.catalog, credentials },
      },
    );
    const base = {
      entityRef,
      triggerKey: event.deliveryId,
      cloneUrl: event.repository.cloneUrl,
      executor: this.options.executorId,
    };
    const trigger = (kind: RunTrigger['kind']): RunTrigger => ({
      kind,
      deliveryId: event.deliveryId,
      ref: event.ref,
      sha: event.sha,
      ...(event.pullRequest ? { headSha: event.pullRequest.headSha } : {}),
      ...(event.headCommit
        ? {
            message: event.headCommit.message,
            author: event.headCommit.author,
          }
        : {}),
      ...(event.pusher ? { actor: event.pusher.name } : {}),
    });
    if (!expanded.ok) {
      if (isMissingBuildInfo(expanded.problems)) return [];
      // A build-info.yaml that fails at this commit: a failed run that
      // shows where, instead of silence.
      const { run, created } = await this.options.store.createRun({
        ...base,
        pipeline: INVALID_BUILD_INFO_PIPELINE,
        trigger: trigger(event.kind),
        status: 'failed',
        problems: expanded.problems,
        message: `${DESCRIPTOR_FILES.build} is not valid at ${event.sha.slice(
          0,
          7,
        )}: ${expanded.problems.length} problem${
          expanded.problems.length === 1 ? '' : 's'
        }`,
      });
      return created ? [run] : [];
    }
    const chosen = pipelinesForEvent(expanded.value.pipeline, event, {
      localHosting,
    });
    const runs: RunSummary[] = [];
    for (const { definition, kind } of chosen) {
      const { run, created } = await this.options.store.createRun({
        ...base,
        pipeline: definition.pipeline,
        trigger: trigger(kind),
        definition,
        origin: originOf(expanded.value),
      });
      if (created) runs.push(run);
    }
    return runs;
  }

  /**
   * A run started from the CI/CD tab: the pipeline as build-info.yaml
   * defines it at the ref's current commit.
   */
  async startManual(options: {
    entity: Entity;
    pipeline: string;
    ref?: string;
    actor: string;
  }): Promise<RunSummary> {
    const { entity } = options;
    const repo = repositoryOfEntity(entity);
    if (!repo) {
      throw new InputError(
        `${stringifyEntityRef(entity)} has no url: location annotation (${
          LOCATION_ANNOTATIONS.source
        }) naming its repository`,
      );
    }
    const remote = await this.resolveRef(repo.cloneUrl, options.ref);
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const expanded = await expandPipelineAtCommit(
      this.options.reader,
      entity,
      remote.sha,
      {
        repository: { htmlUrl: repo.htmlUrl },
        knownRefs: [remote.defaultBranch, remote.ref],
        catalog: { service: this.options.catalog, credentials },
      },
    );
    if (!expanded.ok) {
      throw new InputError(
        `${DESCRIPTOR_FILES.build} at ${remote.ref} (${remote.sha.slice(
          0,
          7,
        )}) cannot be expanded: ${expanded.problems
          .map(p => `${p.file}:${p.line}:${p.column} ${p.message}`)
          .join('; ')}`,
      );
    }
    const definition = expanded.value.pipeline.pipelines.find(
      p => p.pipeline === options.pipeline,
    );
    if (!definition) {
      throw new NotFoundError(
        `no pipeline named "${options.pipeline}" in ${
          DESCRIPTOR_FILES.build
        } at ${remote.ref}; it has ${expanded.value.pipeline.pipelines
          .map(p => `"${p.pipeline}"`)
          .join(', ')}`,
      );
    }
    const { run } = await this.options.store.createRun({
      entityRef: stringifyEntityRef(entity),
      pipeline: definition.pipeline,
      triggerKey: `manual:${randomUUID()}`,
      trigger: {
        kind: 'manual',
        ref: remote.ref,
        sha: remote.sha,
        actor: options.actor,
      },
      cloneUrl: repo.cloneUrl,
      executor: this.options.executorId,
      definition,
      origin: originOf(expanded.value),
    });
    this.options.onRunsCreated([run]);
    return run;
  }

  /**
   * A re-run: the same commit and the same expanded pipeline; from the
   * failed step, the steps before it are kept (not executed again, their
   * outputs passed on).
   */
  async rerun(options: {
    runId: string;
    fromFailed: boolean;
    actor: string;
  }): Promise<RunSummary> {
    const { store } = this.options;
    const record = await store.getRunRecord(options.runId);
    if (!record) throw new NotFoundError(`no run ${options.runId}`);
    const { summary, definition } = record;
    if (!definition) {
      throw new InputError(
        `run ${options.runId} has no pipeline to run again (${
          summary.message ?? 'it failed before expanding'
        }); push a fix instead`,
      );
    }
    if (['queued', 'running'].includes(summary.status)) {
      throw new InputError(
        `run ${options.runId} is still ${summary.status}; cancel it or wait for it to finish`,
      );
    }
    let reuse: Map<string, Record<string, string>> | undefined;
    if (options.fromFailed) {
      const steps = await store.stepsOf(options.runId);
      const failedAt = steps.findIndex(s =>
        ['failed', 'interrupted', 'cancelled'].includes(s.status),
      );
      if (failedAt < 0) {
        throw new InputError(
          `run ${options.runId} has no failed step to re-run from`,
        );
      }
      // Only whole stages before the failed step's stage are kept: tasks of
      // the failed stage ran in parallel workspaces and run again.
      const failedStage = steps[failedAt].stage;
      reuse = new Map(
        steps
          .filter(s => s.stage < failedStage && s.status === 'succeeded')
          .map(s => [s.key, s.outputs ?? {}]),
      );
    }
    const { run } = await store.createRun({
      entityRef: summary.entityRef,
      pipeline: summary.pipeline,
      triggerKey: `rerun:${randomUUID()}`,
      trigger: {
        ...summary.trigger,
        kind: 'rerun',
        deliveryId: undefined,
        actor: options.actor,
        rerunOf: summary.id,
        ...(options.fromFailed ? { fromFailed: true } : {}),
      },
      cloneUrl: record.cloneUrl,
      executor: this.options.executorId,
      definition,
      origin: record.origin,
      reuse,
    });
    this.options.onRunsCreated([run]);
    return run;
  }
}
