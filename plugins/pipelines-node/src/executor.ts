import type {
  PipelineDefinition,
  Step,
  TestReport,
} from '@gitops/plugin-pipelines-common';

/**
 * The executor contract: the pipelines backend decides what runs (trigger,
 * pipeline, the plan of steps) and keeps the record; an executor runs the
 * plan and reports each step's start, log and outcome as they happen.
 *
 * Semantics every executor honours (the pipeline model's): stages run one
 * after another; the tasks of a stage run in parallel, each in its own
 * workspace (a checkout of the repository at the commit); the steps of a
 * task run in order in that workspace; after a failed step nothing further
 * runs (the remaining steps are reported `skipped`).
 */

/** One step of the plan, with its place in the pipeline. @public */
export interface PlannedStep {
  /** The store's id of the step, used in every report. */
  id: string;
  /** Stage and task positions (from 0), and the step's position in its task. */
  stage: number;
  task: number;
  index: number;
  step: Step;
  /**
   * Kept from the run this one re-runs from the failed step: not executed,
   * reported `skipped` with its earlier outputs passed on.
   */
  reuse?: { outputs: Record<string, string> };
}

/** Where the code comes from. Credentials never appear in logs. @public */
export interface ExecutionSource {
  /** A git URL to clone (the local hosting's or GitHub's). */
  cloneUrl: string;
  sha: string;
  /** The ref built, e.g. `master` or `pr/12/merge`. */
  ref: string;
  /** Extra HTTP headers for git (an installation token), if any. */
  headers?: Record<string, string>;
}

/** What an executor is asked to run. @public */
export interface ExecutionRequest {
  runId: string;
  /** `component:default/name` */
  entityRef: string;
  component: { namespace: string; name: string };
  source: ExecutionSource;
  pipeline: PipelineDefinition;
  /** Every step, in stage, task, step order. */
  steps: PlannedStep[];
  /** COMMIT_SHA, BRANCH, BUILD_ID and COMPONENT (see STEP_ENVIRONMENT). */
  env: Record<string, string>;
  /** Aborted when the run is cancelled or the backend stops. */
  signal: AbortSignal;
}

/**
 * The end of a step. `outputs` (names like `IMAGE_DIGEST`) are passed to
 * every later step of the run as environment variables.
 *
 * @public
 */
export interface StepOutcome {
  status: 'succeeded' | 'failed' | 'cancelled' | 'skipped';
  exitCode?: number;
  /** Why, in a sentence, when not succeeded. */
  message?: string;
  tests?: TestReport;
  outputs?: Record<string, string>;
}

/**
 * What an executor tells the backend. Each call returns once the record is
 * stored; `log` may wait (backpressure) so that a step printing fast cannot
 * fill the backend's memory.
 *
 * @public
 */
export interface RunReporter {
  stepStarted(stepId: string): Promise<void>;
  log(stepId: string, data: Buffer | string): Promise<void>;
  stepFinished(stepId: string, outcome: StepOutcome): Promise<void>;
}

/** The end of a run as the executor saw it. @public */
export interface ExecutionResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  message?: string;
}

/**
 * Runs pipelines: the local executor (the embedded default) or a
 * distributed engine (the Argo Workflows module). Chosen with
 * `pipelines.executor`.
 *
 * @public
 */
export interface PipelineExecutor {
  /** `local`, `argo`, ... the value of `pipelines.executor`. */
  readonly id: string;
  execute(
    request: ExecutionRequest,
    reporter: RunReporter,
  ): Promise<ExecutionResult>;
}
