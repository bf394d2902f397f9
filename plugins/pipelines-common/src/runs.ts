import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import type { DescriptorProblem } from '@gitops/descriptors-common';
import type { PipelineDefinition } from './model';

/**
 * The runtime's shared vocabulary: runs, their tree of stages, tasks and
 * steps, logs and test results, as the pipelines backend stores them and its
 * HTTP API returns them. The frontend reads the same types.
 */

/**
 * Reading an entity's runs, logs and pipelines. A resource permission on
 * the catalog entity, so a policy can decide per entity.
 *
 * @public
 */
export const pipelinesRunReadPermission = createPermission({
  name: 'pipelines.run.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Starting, re-running and cancelling an entity's runs: the suite's policy
 * gives it to the entity's owners and the platform group.
 *
 * @public
 */
export const pipelinesRunTriggerPermission = createPermission({
  name: 'pipelines.run.trigger',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission of the pipelines plugin. @public */
export const pipelinesPermissions = [
  pipelinesRunReadPermission,
  pipelinesRunTriggerPermission,
];

/**
 * Where a run or a step is. `interrupted`: the backend running it stopped
 * (crash, restart) before it finished; `skipped`: not run because an
 * earlier step failed, or reused by a re-run from the failed step.
 *
 * @public
 */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** @public */
export type StepStatus = RunStatus | 'pending' | 'skipped';

/** Statuses after which nothing changes any more. @public */
export const FINAL_RUN_STATUSES: ReadonlyArray<RunStatus> = [
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
];

/** @public */
export function isFinalStatus(status: StepStatus): boolean {
  return (
    (FINAL_RUN_STATUSES as string[]).includes(status) || status === 'skipped'
  );
}

/**
 * What started a run. `push`: a push to the branch the pipeline builds;
 * `pull_request`: a pull request on GitHub, or on the local hosting a push
 * to any other branch (which stands in for one); `manual` and `rerun` from
 * the CI/CD tab.
 *
 * @public
 */
export type TriggerKind = 'push' | 'pull_request' | 'manual' | 'rerun';

/** @public */
export interface RunTrigger {
  kind: TriggerKind;
  /** The webhook delivery (`X-GitHub-Delivery`, or the local hosting's id). */
  deliveryId?: string;
  /** The branch or ref built, e.g. `master` or `pr/12/merge`. */
  ref: string;
  /** The full SHA of the commit built. */
  sha: string;
  /**
   * Pull requests: the head commit of the pull request (`sha` is GitHub's
   * test merge commit, but reviewers see checks on the head commit).
   */
  headSha?: string;
  /** The commit's message, first line first. */
  message?: string;
  author?: { name: string; email?: string };
  /** Who pushed, or who pressed the button (an entity ref for users). */
  actor?: string;
  /** The run this one re-runs. */
  rerunOf?: string;
  /** A re-run from the failed step: the steps before it were kept. */
  fromFailed?: boolean;
}

/** Counts of a JUnit report, and the failing tests by name. @public */
export interface TestReport {
  passed: number;
  failed: number;
  skipped: number;
  failures: Array<{ suite?: string; name: string; message?: string }>;
}

/** One step of a run. @public */
export interface RunStep {
  id: string;
  /** Position in its task, from 0. */
  index: number;
  action: string;
  args: string[];
  entrypoint?: string;
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** Why it failed or was skipped, in a sentence. */
  message?: string;
  /** Bytes of log stored (after truncation). */
  logBytes: number;
  tests?: TestReport;
}

/** @public */
export interface RunTask {
  name: string;
  status: StepStatus;
  steps: RunStep[];
}

/** @public */
export interface RunStage {
  name: string;
  status: StepStatus;
  tasks: RunTask[];
}

/** A run as the runs table lists it. @public */
export interface RunSummary {
  id: string;
  /** `component:default/name` */
  entityRef: string;
  pipeline: string;
  status: RunStatus;
  trigger: RunTrigger;
  /** The executor that ran it (`local`, `argo`). */
  executor: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** Summed over the steps that reported JUnit results. */
  tests?: Omit<TestReport, 'failures'>;
  /** Why the run failed before any step (e.g. an invalid build-info.yaml). */
  message?: string;
}

/** Where a pipeline came from: the build template and its options. @public */
export interface PipelineOrigin {
  /** `nodeService`, ..., or `custom` for hand-written pipelines. */
  template: string;
  options?: Record<string, unknown>;
}

/** A run with its tree. @public */
export interface RunDetail extends Omit<RunSummary, 'tests'> {
  stages: RunStage[];
  /** The expanded pipeline the run executed. */
  definition?: PipelineDefinition;
  origin?: PipelineOrigin;
  /** The build-info.yaml problems at that commit, positioned. */
  problems?: DescriptorProblem[];
  /** The failing tests of every step, with the counts. */
  tests?: TestReport;
}

/** A range of a step's log. @public */
export interface LogRange {
  stepId: string;
  /** Byte offset of `text` in the stored log. */
  offset: number;
  text: string;
  /** Byte offset to ask for next. */
  nextOffset: number;
  /** The step has finished: nothing will be appended. */
  complete: boolean;
  /** Output was cut at the step's cap; the marker is in the log. */
  truncated: boolean;
}

/** A page of runs. @public */
export interface RunPage {
  items: RunSummary[];
  totalCount: number;
}

/**
 * The signal channel of an entity's runs: every status change of one of its
 * runs is sent on it as a {@link RunSignal}.
 *
 * @public
 */
export function runSignalChannel(entityRef: string): string {
  return `pipelines:${entityRef}`;
}

/** @public */
export interface RunSignal {
  runId: string;
  status: RunStatus;
  /** A step whose status changed, if any. */
  stepId?: string;
  stepStatus?: StepStatus;
}
