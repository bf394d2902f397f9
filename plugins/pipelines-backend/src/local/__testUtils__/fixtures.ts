import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ExecutionRequest,
  PlannedStep,
  RunReporter,
  StepAction,
  StepOutcome,
} from '@gitops/plugin-pipelines-node';
import type { Step } from '@gitops/plugin-pipelines-common';
import { LocalActionConfig } from '../config';
import { LocalExecutor } from '../LocalExecutor';

/** A reporter that keeps every call, in order. */
export class RecordingReporter implements RunReporter {
  readonly events: string[] = [];
  readonly logs = new Map<string, string>();
  readonly outcomes = new Map<string, StepOutcome>();
  /** Called with each log chunk, after it is recorded. */
  onLog?: (stepId: string, text: string) => void | Promise<void>;

  async stepStarted(stepId: string) {
    this.events.push(`started ${stepId}`);
  }
  async log(stepId: string, data: Buffer | string) {
    const text = String(data);
    this.logs.set(stepId, (this.logs.get(stepId) ?? '') + text);
    await this.onLog?.(stepId, text);
  }
  async stepFinished(stepId: string, outcome: StepOutcome) {
    this.events.push(`finished ${stepId} ${outcome.status}`);
    this.outcomes.set(stepId, outcome);
  }
  log_(stepId: string) {
    return this.logs.get(stepId) ?? '';
  }
}

const created: string[] = [];

/** A fresh folder under the OS's temporary folder, removed by {@link removeTmpDirs}. */
export function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes every folder {@link tmpDir} made (call it in afterAll). */
export function removeTmpDirs(): void {
  for (const dir of created.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/**
 * A bare repository holding one commit of `files` on `master`; returns its
 * path (the clone URL) and the commit's SHA.
 */
export function bareRepoWith(files: Record<string, string>): {
  url: string;
  sha: string;
} {
  const root = tmpDir('pipelines-repo');
  const bare = path.join(root, 'repo.git');
  const work = path.join(root, 'work');
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
  fs.mkdirSync(work);
  git(root, 'init', '--quiet', '--bare', '--initial-branch=master', bare);
  git(work, 'init', '--quiet', '--initial-branch=master');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
    fs.writeFileSync(path.join(work, name), content);
  }
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'initial');
  git(work, 'push', '--quiet', bare, 'HEAD:master');
  return { url: bare, sha: git(work, 'rev-parse', 'HEAD') };
}

/** Steps laid out as stages of tasks of steps, with ids `s<stage>t<task>i<index>`. */
export function plan(stages: Step[][][]): PlannedStep[] {
  return stages.flatMap((tasks, stage) =>
    tasks.flatMap((steps, task) =>
      steps.map((step, index) => ({
        id: `s${stage}t${task}i${index}`,
        stage,
        task,
        index,
        step,
      })),
    ),
  );
}

export function request(
  source: { url: string; sha: string },
  steps: PlannedStep[],
  options: { runId?: string; signal?: AbortSignal } = {},
): ExecutionRequest {
  const runId = options.runId ?? `run-${Math.random().toString(36).slice(2)}`;
  return {
    runId,
    entityRef: 'component:default/demo',
    component: { namespace: 'default', name: 'demo' },
    source: { cloneUrl: source.url, sha: source.sha, ref: 'master' },
    pipeline: { pipeline: 'Test', ref: 'master', stages: [] },
    steps,
    env: {
      COMMIT_SHA: source.sha,
      BRANCH: 'master',
      BUILD_ID: runId,
      COMPONENT: 'demo',
    },
    signal: options.signal ?? new AbortController().signal,
  };
}

/** `test/sh` runs its single argument with /bin/sh -c (a test convenience). */
export const SH: LocalActionConfig = { command: ['/bin/sh', '-c'] };

export function executor(
  options: {
    workDir?: string;
    actions?: Record<string, LocalActionConfig>;
    stepActions?: StepAction[];
    stepTimeoutMs?: number;
    maxOutputBytes?: number;
    keepWorkspaces?: boolean;
  } = {},
): LocalExecutor {
  return new LocalExecutor({
    logger: silentLogger(),
    settings: {
      workDir: options.workDir ?? tmpDir('pipelines-work'),
      keepWorkspaces: options.keepWorkspaces ?? false,
      stepTimeoutMs: options.stepTimeoutMs ?? 120_000,
      maxOutputBytes: options.maxOutputBytes ?? 10 * 1024 * 1024,
      junitReports: ['reports/junit*.xml'],
      actions: new Map(Object.entries({ 'test/sh': SH, ...options.actions })),
    },
    stepActions: new Map((options.stepActions ?? []).map(a => [a.image, a])),
  });
}

export const sh = (script: string, env?: Record<string, string>): Step => ({
  action: 'test/sh:latest',
  args: [script],
  ...(env ? { env } : {}),
});

/** Host processes whose command line contains `marker`, as `pid: cmdline`. */
export function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs
        .readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .split('\0')
        .join(' ');
      if (cmdline.includes(marker)) found.push(`${entry}: ${cmdline.trim()}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Waits (up to 5 s) until a host process's command line ends with `cmdline`. */
export async function waitForProcess(cmdline: string): Promise<string[]> {
  for (let i = 0; i < 50; i += 1) {
    const found = processesWith(cmdline).filter(p => p.endsWith(cmdline));
    if (found.length > 0) return found;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return [];
}

/** A logger that keeps what it is told (backend-test-utils keeps jest workers alive). */
export function silentLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const logger = {
    lines,
    error: (m: string) => void lines.push(`error: ${m}`),
    warn: (m: string) => void lines.push(`warn: ${m}`),
    info: (m: string) => void lines.push(`info: ${m}`),
    debug: (m: string) => void lines.push(`debug: ${m}`),
    child: () => logger,
  };
  return logger;
}
