import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  actionImageName,
  ExecutionRequest,
  ExecutionResult,
  PipelineExecutor,
  PlannedStep,
  RunReporter,
  StepAction,
  StepOutcome,
} from '@gitops/plugin-pipelines-node';
import type { TestReport } from '@gitops/plugin-pipelines-common';
import { ActionRegistry, ResolvedAction } from './actions';
import { publishImage, publishStatic, recordDeployRequest } from './builtins';
import { LocalExecutorSettings, readLocalExecutorConfig } from './config';
import { mergeReports, parseJUnit } from './junit';
import { formatBytes, ProcessResult, TaskSandbox } from './process';
import {
  findBwrap,
  findExecutable,
  SANDBOX_HOME,
  SANDBOX_SYSTEM_PATH,
  SANDBOX_WORKSPACE,
} from './sandbox';
import {
  cloneAt,
  findWorkspaceFiles,
  readWorkspaceFile,
  workspaceDir,
} from './workspace';

/**
 * Options of {@link LocalExecutor.fromConfig}.
 *
 * @public
 */
export interface LocalExecutorFromConfigOptions {
  logger: LoggerService;
  /**
   * Folder of the runs' workspaces; overrides `pipelines.local.workDir`.
   * Keep it outside the repository's `.data/`.
   */
  workRoot?: string;
  /**
   * In-process step actions by image name (see `actionImageName`), from the
   * step-actions extension point. Read at each step, so actions added
   * after construction count.
   */
  stepActions?: ReadonlyMap<string, StepAction>;
}

/**
 * Options of the {@link LocalExecutor} constructor.
 *
 * @public
 */
export interface LocalExecutorOptions {
  logger: LoggerService;
  settings: LocalExecutorSettings;
  stepActions?: ReadonlyMap<string, StepAction>;
  /** The bwrap binary; found on PATH when not given. */
  bwrapPath?: string;
}

type StepEnd = 'succeeded' | 'failed' | 'cancelled';
const MAX_JUNIT_BYTES = 20 * 1024 * 1024;
const MAX_OUTPUTS_BYTES = 64 * 1024;
const OUTPUT_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** Names a step cannot set through its outputs or env. */
const RESERVED_ENV = new Set([
  'PATH',
  'HOME',
  'WORKSPACE',
  'JUNIT_REPORT',
  'PIPELINE_OUTPUTS',
]);

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A step id as a file name. */
function fileName(stepId: string): string {
  return stepId.replace(/[^\w.-]/g, '_');
}

/**
 * The embedded default executor (`pipelines.executor: local`): runs a plan
 * on this machine, each task in a fresh clone of the repository at the
 * commit, each step's action as a process in a bubblewrap sandbox (or an
 * in-process step action), and reports every step's start, log and outcome.
 *
 * A step's process gets `PATH`, `HOME`, `CI=true`, `WORKSPACE`, the run's
 * variables (COMMIT_SHA, BRANCH, BUILD_ID, COMPONENT), every earlier step's
 * outputs, the action's and the step's `env`, plus two files it may write:
 * `JUNIT_REPORT` (JUnit XML, read after the step) and `PIPELINE_OUTPUTS`
 * (`NAME=value` lines, passed to every later step of the run).
 *
 * @public
 */
export class LocalExecutor implements PipelineExecutor {
  readonly id = 'local';
  private readonly logger: LoggerService;
  private readonly settings: LocalExecutorSettings;
  private readonly stepActions: ReadonlyMap<string, StepAction>;
  private readonly registry: ActionRegistry;
  private readonly bwrapPath?: string;

  /** Reads `pipelines.local` (see config.d.ts); throws on invalid settings. */
  static fromConfig(
    config: Config,
    options: LocalExecutorFromConfigOptions,
  ): LocalExecutor {
    const settings = readLocalExecutorConfig(config);
    return new LocalExecutor({
      logger: options.logger,
      settings: options.workRoot
        ? { ...settings, workDir: path.resolve(options.workRoot) }
        : settings,
      stepActions: options.stepActions,
    });
  }

  constructor(options: LocalExecutorOptions) {
    this.logger = options.logger;
    this.settings = options.settings;
    this.stepActions = options.stepActions ?? new Map();
    this.registry = new ActionRegistry({
      configured: options.settings.actions,
    });
    this.bwrapPath = options.bwrapPath ?? findBwrap();
  }

  async execute(
    request: ExecutionRequest,
    reporter: RunReporter,
  ): Promise<ExecutionResult> {
    if (!/^[\w.-]+$/.test(request.runId) || /^\.+$/.test(request.runId)) {
      throw new Error(
        `Run id "${request.runId}" cannot name a folder (letters, digits, ".", "_" and "-" only)`,
      );
    }
    const runDir = path.join(this.settings.workDir, request.runId);
    await fs.mkdir(runDir, { recursive: true });
    const outputs: Record<string, string> = {};

    // stage → task → steps in order
    const stages = new Map<number, Map<number, PlannedStep[]>>();
    for (const step of request.steps) {
      const tasks = stages.get(step.stage) ?? new Map<number, PlannedStep[]>();
      stages.set(step.stage, tasks);
      tasks.set(step.task, [...(tasks.get(step.task) ?? []), step]);
    }

    let failed = false;
    try {
      for (const stage of [...stages.keys()].sort((a, b) => a - b)) {
        const tasks = stages.get(stage)!;
        const taskIds = [...tasks.keys()].sort((a, b) => a - b);
        const plans = taskIds.map(t =>
          tasks.get(t)!.sort((a, b) => a.index - b.index),
        );
        if (failed || request.signal.aborted) {
          const message = request.signal.aborted
            ? 'Not run: the run was cancelled.'
            : 'Not run: a step of an earlier stage failed.';
          for (const step of plans.flat()) {
            await reporter.stepFinished(step.id, {
              status: 'skipped',
              message,
            });
          }
          continue;
        }
        // Every task ends before the run does, even when one of them throws
        // (a reporter that cannot store), so no process outlives the run.
        const settled = await Promise.allSettled(
          plans.map((steps, i) =>
            this.runTask(
              request,
              reporter,
              steps,
              path.join(runDir, `${stage}-${taskIds[i]}`),
              outputs,
            ),
          ),
        );
        const broken = settled.find(
          (s): s is PromiseRejectedResult => s.status === 'rejected',
        );
        if (broken) throw broken.reason;
        const ends = settled.map(
          s => (s as PromiseFulfilledResult<StepEnd>).value,
        );
        if (ends.some(e => e !== 'succeeded')) failed = true;
      }
    } finally {
      if (!this.settings.keepWorkspaces) {
        await fs
          .rm(runDir, { recursive: true, force: true })
          .catch(error =>
            this.logger.warn(
              `Could not remove the workspaces of run ${
                request.runId
              }: ${errorMessage(error)}`,
            ),
          );
      }
    }
    if (request.signal.aborted) {
      return { status: 'cancelled', message: 'The run was cancelled.' };
    }
    return failed
      ? { status: 'failed', message: 'A step failed.' }
      : { status: 'succeeded' };
  }

  /** The steps of one task, in order, in one workspace. */
  private async runTask(
    request: ExecutionRequest,
    reporter: RunReporter,
    steps: PlannedStep[],
    workspace: string,
    outputs: Record<string, string>,
  ): Promise<StepEnd> {
    // The task's sandbox: started by its first sandboxed step, reused by
    // the next ones that need the same tools and network, ended here.
    const sandbox = this.bwrapPath
      ? new TaskSandbox(this.bwrapPath, workspace)
      : undefined;
    try {
      return await this.runTaskSteps(
        request,
        reporter,
        steps,
        workspace,
        outputs,
        sandbox,
      );
    } finally {
      sandbox?.close();
    }
  }

  private async runTaskSteps(
    request: ExecutionRequest,
    reporter: RunReporter,
    steps: PlannedStep[],
    workspace: string,
    outputs: Record<string, string>,
    sandbox: TaskSandbox | undefined,
  ): Promise<StepEnd> {
    let end: StepEnd = 'succeeded';
    let failedAt: number | undefined;
    let cloned = false;
    for (const planned of steps) {
      if (end !== 'succeeded' || request.signal.aborted) {
        await reporter.stepFinished(planned.id, {
          status: 'skipped',
          message:
            request.signal.aborted || end === 'cancelled'
              ? 'Not run: the run was cancelled.'
              : `Not run: step ${failedAt! + 1} of this task failed.`,
        });
        if (request.signal.aborted) end = 'cancelled';
        continue;
      }
      if (planned.reuse) {
        Object.assign(outputs, planned.reuse.outputs);
        await reporter.stepFinished(planned.id, {
          status: 'skipped',
          message: 'Kept from the run this one re-runs.',
          outputs: planned.reuse.outputs,
        });
        continue;
      }
      await reporter.stepStarted(planned.id);
      let outcome: StepOutcome;
      if (!cloned) {
        try {
          await fs.rm(workspace, { recursive: true, force: true });
          await cloneAt(request.source, workspace, request.signal);
          await workspaceDir(workspace, '.pipelines', 'home');
          cloned = true;
        } catch (error) {
          outcome = request.signal.aborted
            ? {
                status: 'cancelled',
                message: 'Cancelled while preparing the workspace.',
              }
            : {
                status: 'failed',
                message: `Could not prepare the workspace: ${errorMessage(
                  error,
                )}`,
              };
          await reporter.log(planned.id, `${outcome.message}\n`);
          await reporter.stepFinished(planned.id, outcome);
          end = outcome.status as StepEnd;
          failedAt = planned.index;
          continue;
        }
      }
      try {
        outcome = await this.runStep(
          request,
          reporter,
          planned,
          workspace,
          { ...outputs },
          sandbox,
        );
      } catch (error) {
        if (request.signal.aborted) {
          outcome = { status: 'cancelled', message: 'The run was cancelled.' };
        } else {
          this.logger.error(
            `Step ${planned.id} of run ${
              request.runId
            } broke the executor: ${errorMessage(error)}`,
          );
          outcome = {
            status: 'failed',
            message: `The executor failed: ${errorMessage(error)}`,
          };
        }
      }
      if (outcome.outputs) Object.assign(outputs, outcome.outputs);
      await reporter.stepFinished(planned.id, outcome);
      if (outcome.status === 'failed' || outcome.status === 'cancelled') {
        end = outcome.status;
        failedAt = planned.index;
      }
    }
    return end;
  }

  private async runStep(
    request: ExecutionRequest,
    reporter: RunReporter,
    planned: PlannedStep,
    workspace: string,
    earlierOutputs: Record<string, string>,
    sandbox: TaskSandbox | undefined,
  ): Promise<StepOutcome> {
    const { step } = planned;
    const image = actionImageName(step.action);
    const args = step.args ?? [];
    const env = { ...request.env, ...earlierOutputs, ...(step.env ?? {}) };
    const log = (text: string | Buffer) => reporter.log(planned.id, text);

    const stepAction = this.stepActions.get(image);
    if (stepAction) {
      await log(`${image}: ${stepAction.description}\n`);
      const { steps: _steps, signal: _signal, ...run } = request;
      return stepAction.run({
        run,
        step: planned,
        args,
        env,
        workspace,
        log: text => log(text),
        signal: request.signal,
      });
    }

    const action = this.registry.resolve(image);
    if (action.kind === 'unavailable') {
      await log(`${action.message}\n`);
      return { status: 'failed', message: action.message };
    }
    if (
      !sandbox &&
      action.kind !== 'deploy-note' &&
      action.kind !== 'static-publish'
    ) {
      const message =
        'Steps run in a bubblewrap sandbox, but bwrap is not installed on this machine: install the Debian package "bubblewrap" (scripts/system-deps.sh does).';
      await log(`${message}\n`);
      return { status: 'failed', message };
    }
    const sandboxed = (
      argv: string[],
      tools: {
        tools: string[];
        network: boolean;
        env: Record<string, string>;
      },
      extraEnv: Record<string, string> = {},
    ) =>
      sandbox!.run(
        argv,
        { readOnly: tools.tools, network: tools.network },
        this.stepEnvironment(tools, env, extraEnv),
        {
          timeoutMs: this.settings.stepTimeoutMs,
          maxOutputBytes: this.settings.maxOutputBytes,
          signal: request.signal,
          log,
        },
      );
    const builtin = {
      image,
      args,
      env,
      workspace,
      workDir: this.settings.workDir,
      log: (text: string) => log(text),
      sandboxed: (argv: string[]) =>
        sandboxed(argv, { tools: [], network: false, env: {} }),
    };
    switch (action.kind) {
      case 'deploy-note':
        return recordDeployRequest(builtin, step.entrypoint);
      case 'static-publish':
        return publishStatic(builtin);
      case 'image-publish':
        if (!findExecutable('umoci', SANDBOX_SYSTEM_PATH)) {
          const message = `Action "${image}" needs the tool "umoci", which is not installed on this machine: install the Debian package "umoci" (scripts/system-deps.sh does), or set pipelines.local.actions["${image}"] in app-config.yaml.`;
          await log(`${message}\n`);
          return { status: 'failed', message };
        }
        return publishImage(builtin);
      case 'process':
        return this.runProcess(planned, workspace, action, sandboxed, log);
      default:
        return {
          status: 'failed',
          message: `Unknown action kind for ${image}`,
        };
    }
  }

  private async runProcess(
    planned: PlannedStep,
    workspace: string,
    action: Extract<ResolvedAction, { kind: 'process' }>,
    sandboxed: (
      argv: string[],
      sandbox: {
        tools: string[];
        network: boolean;
        env: Record<string, string>;
      },
      extraEnv?: Record<string, string>,
    ) => Promise<ProcessResult>,
    log: (text: string) => Promise<void>,
  ): Promise<StepOutcome> {
    const { step } = planned;
    const args = step.args ?? [];
    const name = fileName(planned.id);
    const junitRel = `.pipelines/junit/${name}.xml`;
    const outputsRel = `.pipelines/outputs/${name}.env`;
    await workspaceDir(workspace, '.pipelines', 'junit');
    await workspaceDir(workspace, '.pipelines', 'outputs');
    await fs.rm(path.join(workspace, junitRel), { force: true });
    await fs.rm(path.join(workspace, outputsRel), { force: true });
    const before = await this.junitCandidates(workspace);

    // A shell only when the step names one, as the seed's deploy step does.
    const argv = step.entrypoint
      ? [step.entrypoint, '-c', args.join(' ')]
      : [...action.command, ...args];
    await log(`$ ${argv.map(quoteForLog).join(' ')}\n`);
    const result = await sandboxed(argv, action, {
      JUNIT_REPORT: `${SANDBOX_WORKSPACE}/${junitRel}`,
      PIPELINE_OUTPUTS: `${SANDBOX_WORKSPACE}/${outputsRel}`,
    });

    const tests = await this.readTests(workspace, [junitRel], before, log);
    const outputs = await this.readOutputs(workspace, outputsRel, log);
    const extras = {
      ...(tests ? { tests } : {}),
      ...(outputs ? { outputs } : {}),
    };
    if (result.spawnError) {
      return {
        status: 'failed',
        message: `Could not start the sandbox: ${result.spawnError}`,
      };
    }
    if (result.cancelled) {
      return {
        status: 'cancelled',
        message:
          'Cancelled: the step and every process it started were killed.',
        ...extras,
      };
    }
    if (result.timedOut) {
      const minutes = this.settings.stepTimeoutMs / 60000;
      const limit =
        minutes >= 1
          ? `${minutes} min`
          : `${this.settings.stepTimeoutMs / 1000} s`;
      const message = `Timed out after ${limit}: the step and every process it started were killed.`;
      await log(`\n${message}\n`);
      return { status: 'failed', message, ...extras };
    }
    const truncated = result.truncated
      ? ` Output beyond ${formatBytes(
          this.settings.maxOutputBytes,
        )} was dropped.`
      : '';
    if (result.exitCode === 0) {
      return {
        status: 'succeeded',
        exitCode: 0,
        ...(truncated ? { message: truncated.trim() } : {}),
        ...extras,
      };
    }
    return {
      status: 'failed',
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      message: `${path.basename(argv[0])} exited with status ${
        result.exitCode
      }.${truncated}`,
      ...extras,
    };
  }

  /** The whole environment of a step's process. */
  private stepEnvironment(
    action: { tools: string[]; env: Record<string, string> },
    env: Record<string, string>,
    extra: Record<string, string>,
  ): Record<string, string> {
    const toolDirs = action.tools.filter(isDirectory);
    const merged: Record<string, string> = { ...action.env, ...env };
    for (const name of Object.keys(merged)) {
      if (RESERVED_ENV.has(name)) delete merged[name];
    }
    return {
      ...merged,
      CI: 'true',
      WORKSPACE: SANDBOX_WORKSPACE,
      HOME: SANDBOX_HOME,
      PATH: [...toolDirs, ...SANDBOX_SYSTEM_PATH].join(':'),
      ...extra,
    };
  }

  private async junitCandidates(
    workspace: string,
  ): Promise<Map<string, number>> {
    const all = new Map<string, number>();
    for (const pattern of this.settings.junitReports) {
      for (const [rel, mtime] of await findWorkspaceFiles(
        workspace,
        pattern,
      ).catch(() => new Map<string, number>())) {
        all.set(rel, mtime);
      }
    }
    return all;
  }

  /** JUnit files the step wrote: its JUNIT_REPORT and new or changed matches. */
  private async readTests(
    workspace: string,
    own: string[],
    before: Map<string, number>,
    log: (text: string) => Promise<void>,
  ): Promise<TestReport | undefined> {
    const after = await this.junitCandidates(workspace);
    const files = [
      ...own,
      ...[...after]
        .filter(([rel, mtime]) => before.get(rel) !== mtime)
        .map(([rel]) => rel),
    ];
    const reports: TestReport[] = [];
    for (const rel of new Set(files)) {
      let xml: string | undefined;
      try {
        xml = await readWorkspaceFile(workspace, rel, MAX_JUNIT_BYTES);
      } catch (error) {
        await log(`[junit] ${rel} ignored: ${errorMessage(error)}\n`);
        continue;
      }
      if (xml === undefined) continue;
      const parsed = parseJUnit(xml);
      if (parsed.ok) {
        reports.push(parsed.report);
      } else {
        await log(
          `[junit] ${rel} ignored: not valid JUnit XML (${parsed.problem})\n`,
        );
      }
    }
    return mergeReports(reports);
  }

  /** `NAME=value` lines of the step's PIPELINE_OUTPUTS file. */
  private async readOutputs(
    workspace: string,
    rel: string,
    log: (text: string) => Promise<void>,
  ): Promise<Record<string, string> | undefined> {
    let text: string | undefined;
    try {
      text = await readWorkspaceFile(workspace, rel, MAX_OUTPUTS_BYTES);
    } catch (error) {
      await log(`[outputs] ${rel} ignored: ${errorMessage(error)}\n`);
      return undefined;
    }
    if (text === undefined) return undefined;
    const outputs: Record<string, string> = {};
    for (const [i, line] of text.split('\n').entries()) {
      if (!line.trim()) continue;
      const eq = line.indexOf('=');
      const name = eq > 0 ? line.slice(0, eq) : '';
      if (!OUTPUT_NAME.test(name) || RESERVED_ENV.has(name)) {
        await log(
          `[outputs] line ${
            i + 1
          } ignored: expected NAME=value with NAME like IMAGE_DIGEST\n`,
        );
        continue;
      }
      outputs[name] = line.slice(eq + 1);
    }
    return Object.keys(outputs).length > 0 ? outputs : undefined;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fsSync.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
