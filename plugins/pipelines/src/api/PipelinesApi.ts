import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DescriptorProblem } from '@gitops/descriptors-common';
import type {
  LogRange,
  PipelineOrigin,
  RunDetail,
  RunPage,
  RunStatus,
  RunSummary,
} from '@gitops/plugin-pipelines-common';

/**
 * Which runs to list: filters and the page. Filters left out match all.
 *
 * @public
 */
export interface ListRunsRequest {
  pipeline?: string;
  ref?: string;
  /** A commit SHA or a prefix of at least four hex digits. */
  sha?: string;
  status?: RunStatus;
  /** Runs to skip, from 0. */
  offset?: number;
  /** Runs per page, 1 to 100; the backend's default (20) when absent. */
  limit?: number;
}

/**
 * An entity's build-info.yaml at a ref, expanded, or the positioned problems
 * that kept it from being expanded.
 *
 * @public
 */
export interface ExpandedPipeline {
  ref: string;
  sha?: string;
  /** The build template and the options it was expanded with. */
  origin?: PipelineOrigin;
  /** The expanded pipelines (`pipelines[]` of the expanded file). */
  pipelines?: Array<Record<string, unknown>>;
  /** The expanded pipeline file, YAML. */
  yaml?: string;
  /** The same pipelines as GitHub Actions workflows, YAML. */
  githubActions?: string;
  /** The same pipelines as Argo Workflows, YAML. */
  argoWorkflows?: string;
  /** Empty when the file is valid. */
  problems: DescriptorProblem[];
}

/**
 * What {@link PipelinesApi.followStepLog} calls while a step's log is
 * followed.
 *
 * @public
 */
export interface FollowLogHandlers {
  /** A range appended to the log. */
  onLog(range: LogRange): void;
  /** The step has finished and the whole log was sent. */
  onEnd?(): void;
  /** The stream failed; following has stopped. */
  onError?(error: Error): void;
}

/**
 * A followed log: call `close` to stop following.
 *
 * @public
 */
export interface LogSubscription {
  close(): void;
}

/**
 * The pipelines backend's HTTP API, one method per operation of its
 * OpenAPI spec. Every method rejects with a `ResponseError` from
 * `@backstage/errors` when the backend answers with an error.
 *
 * @public
 */
export interface PipelinesApi {
  /** ListRuns: the runs of an entity, newest first. */
  listRuns(
    entity: CompoundEntityRef,
    request?: ListRunsRequest,
  ): Promise<RunPage>;
  /** GetRun: one run with its stage, task and step tree. */
  getRun(runId: string): Promise<RunDetail>;
  /** StartRun: a manual run of a pipeline at a ref (the default branch when absent). */
  startRun(
    entity: CompoundEntityRef,
    request: { pipeline: string; ref?: string },
  ): Promise<RunSummary>;
  /** RerunRun: a new run of the same commit; from the failed step when `fromFailed`. */
  rerun(runId: string, options?: { fromFailed?: boolean }): Promise<RunSummary>;
  /** CancelRun: stop a run (a finished run is returned unchanged). */
  cancel(runId: string): Promise<RunSummary>;
  /** GetStepLog: a byte range of a step's log. */
  getStepLog(
    runId: string,
    stepId: string,
    range?: { offset?: number; limit?: number },
  ): Promise<LogRange>;
  /** FollowStepLog: the log from an offset, as it is written. */
  followStepLog(
    runId: string,
    stepId: string,
    offset: number,
    handlers: FollowLogHandlers,
  ): LogSubscription;
  /** GetExpandedPipeline: build-info.yaml at a ref, expanded. */
  getExpandedPipeline(
    entity: CompoundEntityRef,
    options?: { ref?: string },
  ): Promise<ExpandedPipeline>;
}

/**
 * The pipelines API: {@link PipelinesClient} by default.
 *
 * @public
 */
export const pipelinesApiRef = createApiRef<PipelinesApi>({
  id: 'plugin.pipelines.service',
});
