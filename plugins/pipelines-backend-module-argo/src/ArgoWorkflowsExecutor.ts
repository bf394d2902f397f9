import { setTimeout as delay } from 'node:timers/promises';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type {
  ExecutionRequest,
  ExecutionResult,
  PipelineExecutor,
  RunReporter,
  StepOutcome,
} from '@gitops/plugin-pipelines-node';
import {
  ArgoClusterClients,
  createClusterClients,
  describeClusterError,
  redact,
} from './cluster';
import { ArgoExecutorConfig, readArgoExecutorConfig } from './config';
import { argoPodName, POD_NAME_FORMAT_ANNOTATION } from './podName';
import {
  ArgoNodeStatus,
  ArgoWorkflowObject,
  isNodeDone,
  isWorkflowDone,
} from './status';
import { workflowSchemaError } from './validate';
import { buildArgoWorkflow } from './workflow';

const WORKFLOWS = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'workflows',
} as const;

/** Argo runs each step's command in the container named `main`. */
const STEP_CONTAINER = 'main';

/** At most this much of a step's log is copied; the rest is marked cut. */
const MAX_LOG_BYTES = 10 * 1024 * 1024;

/**
 * Options of {@link ArgoWorkflowsExecutor}: the `pipelines.argo` settings
 * and a logger.
 *
 * @public
 */
export interface ArgoWorkflowsExecutorOptions extends ArgoExecutorConfig {
  /** For submissions and failures; never receives the token. */
  logger: LoggerService;
}

/** What the executor knows about one planned step while following a run. */
interface StepProgress {
  stepId: string;
  template: string;
  started: boolean;
  finished: boolean;
}

/** One submitted Workflow being followed. */
interface FollowedWorkflow {
  name: string;
  namespace: string;
  /** `Argo Workflows at <url> (namespace <ns>)`, for messages. */
  where: string;
  steps: StepProgress[];
  reporter: RunReporter;
  /** `workflows.argoproj.io/pod-name-format` as last seen. */
  podNameFormat?: string;
}

/**
 * Runs pipelines on Argo Workflows (`pipelines.executor: argo`): submits
 * the engines' rendering of the pipeline (`renderArgoWorkflows`) as a
 * `Workflow`, follows its `status.nodes` to report each step's start and
 * end, copies each finished step's pod log, and stops the Workflow
 * (`spec.shutdown: Stop`) when the run is cancelled.
 *
 * @public
 */
export class ArgoWorkflowsExecutor implements PipelineExecutor {
  /** The value of `pipelines.executor` that selects this executor. */
  readonly id = 'argo';
  private readonly clients: ArgoClusterClients;

  /** An executor for `pipelines.argo` (see the package's config.d.ts). */
  static fromConfig(
    config: Config,
    deps: { logger: LoggerService },
  ): ArgoWorkflowsExecutor {
    return new ArgoWorkflowsExecutor({
      ...readArgoExecutorConfig(config),
      logger: deps.logger,
    });
  }

  constructor(private readonly options: ArgoWorkflowsExecutorOptions) {
    this.clients = createClusterClients(options.cluster);
  }

  /**
   * Runs one pipeline run to its end: submits the Workflow, reports each
   * step as Argo runs it, and resolves with the run's end (never rejects
   * for a cluster error: that fails the run with a message).
   */
  async execute(
    request: ExecutionRequest,
    reporter: RunReporter,
  ): Promise<ExecutionResult> {
    const built = buildArgoWorkflow(request, {
      namespace: this.options.namespace,
      serviceAccountName: this.options.serviceAccountName,
    });
    const steps: StepProgress[] = request.steps.map(s => ({
      stepId: s.id,
      template: built.ok
        ? built.steps.find(t => t.stepId === s.id)?.template ?? ''
        : '',
      started: false,
      finished: false,
    }));
    if (!built.ok) {
      return this.fail(
        steps,
        reporter,
        `The pipeline "${
          request.pipeline.pipeline
        }" cannot run on Argo Workflows: ${built.problems.join('; ')}`,
      );
    }
    const { name, namespace, workflow } = built;
    const where = `Argo Workflows at ${this.options.cluster.url} (namespace ${namespace})`;
    const schemaError = workflowSchemaError(workflow);
    if (schemaError) {
      return this.fail(
        steps,
        reporter,
        `The Workflow ${name} for the pipeline "${request.pipeline.pipeline}" does not pass the Argo Workflows schema, so it was not submitted to ${where}: ${schemaError}`,
      );
    }
    const run: FollowedWorkflow = { name, namespace, where, steps, reporter };

    // Steps kept from the run this one re-runs: Argo skips them (`when`).
    for (const planned of request.steps) {
      if (!planned.reuse) continue;
      const step = steps.find(s => s.stepId === planned.id)!;
      step.finished = true;
      await reporter.stepFinished(step.stepId, {
        status: 'skipped',
        message: 'kept from the earlier run',
        outputs: planned.reuse.outputs,
      });
    }
    if (request.signal.aborted) {
      return this.endUnfinished(
        steps,
        reporter,
        'cancelled',
        'cancelled before the Workflow was submitted',
      );
    }

    try {
      await this.clients.customObjects.createNamespacedCustomObject({
        ...WORKFLOWS,
        namespace,
        body: workflow,
      });
    } catch (error) {
      return this.fail(
        steps,
        reporter,
        `${where} refused to create the Workflow ${name}: ${this.describe(
          error,
        )}`,
      );
    }
    this.options.logger.info(
      `Submitted Workflow ${name} to ${where} for run ${request.runId}`,
    );

    for (;;) {
      if (request.signal.aborted) return this.cancel(run);
      let current: ArgoWorkflowObject;
      try {
        current = (await this.clients.customObjects.getNamespacedCustomObject({
          ...WORKFLOWS,
          namespace,
          name,
        })) as ArgoWorkflowObject;
      } catch (error) {
        return this.fail(
          steps,
          reporter,
          `${where}: could not read the status of the Workflow ${name}: ${this.describe(
            error,
          )}`,
        );
      }
      await this.follow(run, current);
      if (isWorkflowDone(current)) return this.finish(run, current);
      await sleep(this.options.pollIntervalMs, request.signal);
    }
  }

  /** Reports what changed for each step since the last look. */
  private async follow(run: FollowedWorkflow, workflow: ArgoWorkflowObject) {
    run.podNameFormat =
      workflow.metadata?.annotations?.[POD_NAME_FORMAT_ANNOTATION] ??
      run.podNameFormat;
    const nodes = Object.values(workflow.status?.nodes ?? {});
    for (const step of run.steps) {
      if (step.finished) continue;
      const node = stepNode(nodes, step.template);
      if (!node?.phase || node.phase === 'Pending') continue;
      if (node.phase === 'Skipped' || node.phase === 'Omitted') {
        step.finished = true;
        await run.reporter.stepFinished(step.stepId, {
          status: 'skipped',
          message:
            node.message ?? `${node.phase.toLowerCase()} by Argo Workflows`,
        });
        continue;
      }
      if (!step.started) {
        step.started = true;
        await run.reporter.stepStarted(step.stepId);
      }
      if (isNodeDone(node.phase)) {
        await this.copyLogs(run, step, node);
        step.finished = true;
        await run.reporter.stepFinished(step.stepId, nodeOutcome(node));
      }
    }
  }

  private async finish(
    run: FollowedWorkflow,
    workflow: ArgoWorkflowObject,
  ): Promise<ExecutionResult> {
    const phase = workflow.status?.phase;
    const why = workflow.status?.message;
    if (phase === 'Succeeded' && run.steps.every(s => s.finished)) {
      return { status: 'succeeded' };
    }
    const message =
      phase === 'Succeeded'
        ? `The Workflow ${run.name} in ${run.where} succeeded without a node for every step`
        : `The Workflow ${run.name} in ${run.where} ended ${phase}${
            why ? `: ${why}` : ''
          }`;
    await this.endUnfinished(run.steps, run.reporter, 'failed', message);
    return { status: 'failed', message };
  }

  /** Stops the Workflow the documented way, `spec.shutdown: Stop`. */
  private async cancel(run: FollowedWorkflow): Promise<ExecutionResult> {
    let message = `Cancelled; the Workflow ${run.name} was stopped (spec.shutdown: Stop)`;
    try {
      await this.clients.customObjects.patchNamespacedCustomObject(
        {
          ...WORKFLOWS,
          namespace: run.namespace,
          name: run.name,
          body: { spec: { shutdown: 'Stop' } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (error) {
      message = `Cancelled, but ${run.where} refused to stop the Workflow ${
        run.name
      }: ${this.describe(error)}`;
      this.options.logger.warn(message);
    }
    return this.endUnfinished(run.steps, run.reporter, 'cancelled', message);
  }

  /** Fails the run: running steps failed, the ones not started skipped. */
  private async fail(
    steps: StepProgress[],
    reporter: RunReporter,
    message: string,
  ): Promise<ExecutionResult> {
    const safe = redact(message, this.options.cluster.serviceAccountToken);
    this.options.logger.error(safe);
    return this.endUnfinished(steps, reporter, 'failed', safe);
  }

  private async endUnfinished(
    steps: StepProgress[],
    reporter: RunReporter,
    status: 'failed' | 'cancelled',
    message: string,
  ): Promise<ExecutionResult> {
    for (const step of steps) {
      if (step.finished) continue;
      step.finished = true;
      await reporter.stepFinished(
        step.stepId,
        step.started
          ? { status, message }
          : { status: 'skipped', message: `not run: ${message}` },
      );
    }
    return { status, message };
  }

  /** Copies the step container's log into the run's log for the step. */
  private async copyLogs(
    run: FollowedWorkflow,
    step: StepProgress,
    node: ArgoNodeStatus,
  ) {
    const pod = argoPodName(run.name, node, run.podNameFormat);
    try {
      const text = await this.clients.core.readNamespacedPodLog({
        name: pod,
        namespace: run.namespace,
        container: STEP_CONTAINER,
        limitBytes: MAX_LOG_BYTES,
      });
      if (text) await run.reporter.log(step.stepId, text);
      if (Buffer.byteLength(text ?? '') >= MAX_LOG_BYTES) {
        await run.reporter.log(
          step.stepId,
          `\n[argo] log cut at ${MAX_LOG_BYTES} bytes\n`,
        );
      }
    } catch (error) {
      await run.reporter.log(
        step.stepId,
        `[argo] the log of pod ${pod} could not be read from ${
          run.where
        }: ${this.describe(error)}\n`,
      );
    }
  }

  private describe(error: unknown): string {
    return describeClusterError(
      error,
      this.options.cluster.serviceAccountToken,
    );
  }
}

/**
 * The node of a step: the one whose `templateName` is the step's container
 * template (a `Pod` node, or a `Skipped` one when `when` turned it off);
 * with retries, the latest.
 */
export function stepNode(
  nodes: ArgoNodeStatus[],
  template: string,
): ArgoNodeStatus | undefined {
  const matching = nodes.filter(
    n => n.templateName === template && n.type !== 'DAG' && n.type !== 'Retry',
  );
  return matching.sort((a, b) =>
    (a.startedAt ?? '').localeCompare(b.startedAt ?? ''),
  )[matching.length - 1];
}

/** A finished `Pod` node as the step's outcome. */
export function nodeOutcome(node: ArgoNodeStatus): StepOutcome {
  const exitCode =
    node.outputs?.exitCode !== undefined &&
    /^-?\d+$/.test(node.outputs.exitCode)
      ? Number(node.outputs.exitCode)
      : undefined;
  if (node.phase === 'Succeeded') {
    return {
      status: 'succeeded',
      ...(exitCode !== undefined ? { exitCode } : {}),
    };
  }
  return {
    status: 'failed',
    ...(exitCode !== undefined ? { exitCode } : {}),
    message: node.message
      ? `Argo Workflows: ${node.message}`
      : `Argo Workflows reported the step ${node.phase}`,
  };
}

/** Waits, unless the run is cancelled first. */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => {
    // Aborted: the caller looks at the signal next.
  });
}
