import type { operations } from '@octokit/openapi-types';
import type {
  RunDetail,
  RunStatus,
  RunSummary,
} from '@gitops/plugin-pipelines-common';

/** The body of `PATCH /repos/{owner}/{repo}/check-runs/{id}`, from GitHub's OpenAPI description. */
export type CheckRunUpdateBody =
  operations['checks/update']['requestBody']['content']['application/json'];

/** What this backend sends: the update body, with a title always present. */
export type CheckRunState = Omit<CheckRunUpdateBody, 'output'> & {
  status: 'queued' | 'in_progress' | 'completed';
  output: NonNullable<CheckRunUpdateBody['output']> & { title: string };
};

/**
 * The body of `POST /repos/{owner}/{repo}/check-runs`: the update body plus
 * the commit and the (required) name, as GitHub documents the operation.
 */
export type CheckRunCreateBody = CheckRunState & {
  name: string;
  head_sha: string;
};

/** GitHub rejects a summary longer than this (characters). */
export const MAX_SUMMARY_LENGTH = 65535;
const MAX_FAILURES_LISTED = 50;
const MAX_MESSAGE_LENGTH = 300;

/** What the local executor says of a step it killed at its time limit. */
const STEP_TIMED_OUT = /^Timed out after\b/;

type Conclusion = NonNullable<CheckRunUpdateBody['conclusion']>;

/**
 * The conclusion a finished run gives its check run:
 * `succeeded` → `success`, `failed` → `failure` (or `timed_out` when the
 * step that failed was killed at its time limit), `cancelled` → `cancelled`,
 * and `interrupted` → `failure`. An interrupted run did not pass and nobody
 * chose to stop it (the backend running it stopped), so it reads as a
 * failure with a summary that says why and how to re-run it, not as a
 * deliberate cancellation.
 */
export function checkRunConclusion(
  status: RunStatus,
  detail?: Pick<RunDetail, 'stages'>,
): Conclusion | undefined {
  switch (status) {
    case 'queued':
    case 'running':
      return undefined;
    case 'succeeded':
      return 'success';
    case 'failed':
      return failedStepTimedOut(detail) ? 'timed_out' : 'failure';
    case 'cancelled':
      return 'cancelled';
    case 'interrupted':
      return 'failure';
    default: {
      const never: never = status;
      throw new Error(`pipelines checks: unknown run status "${never}"`);
    }
  }
}

function failedStepTimedOut(detail?: Pick<RunDetail, 'stages'>): boolean {
  for (const stage of detail?.stages ?? []) {
    for (const task of stage.tasks) {
      for (const step of task.steps) {
        if (
          step.status === 'failed' &&
          STEP_TIMED_OUT.test(step.message ?? '')
        ) {
          return true;
        }
      }
    }
  }
  return false;
}

const TITLES: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/**
 * The status, conclusion and output of a run's check run. `detail` (the
 * run with its steps and failing tests) is read for finished runs only.
 */
export function checkRunState(
  run: RunSummary,
  detail?: Pick<RunDetail, 'stages' | 'tests'>,
): CheckRunState {
  const conclusion = checkRunConclusion(run.status, detail);
  let status: CheckRunState['status'] = 'queued';
  if (conclusion) status = 'completed';
  else if (run.status === 'running') status = 'in_progress';
  return {
    status,
    ...(conclusion ? { conclusion } : {}),
    ...(run.startedAt ? { started_at: isoSeconds(run.startedAt) } : {}),
    ...(conclusion
      ? { completed_at: isoSeconds(run.finishedAt ?? new Date().toISOString()) }
      : {}),
    output: {
      title: checkRunTitle(run, conclusion),
      summary: checkRunSummary(run, detail),
    },
  };
}

function checkRunTitle(run: RunSummary, conclusion?: Conclusion): string {
  const tests = run.tests;
  const title = conclusion === 'timed_out' ? 'Timed out' : TITLES[run.status];
  if (!tests || run.status === 'queued') return title;
  const total = tests.passed + tests.failed + tests.skipped;
  if (tests.failed > 0) {
    return `${title}: ${tests.failed} of ${total} ${plural(
      total,
      'test',
    )} failed`;
  }
  return `${title}: ${tests.passed} ${plural(tests.passed, 'test')} passed${
    tests.skipped ? `, ${tests.skipped} skipped` : ''
  }`;
}

function checkRunSummary(
  run: RunSummary,
  detail?: Pick<RunDetail, 'tests'>,
): string {
  const lines: string[] = [];
  const what = `Pipeline **${escapeMarkdown(run.pipeline)}** of \`${inlineCode(
    run.entityRef,
  )}\` on \`${inlineCode(run.trigger.ref)}\``;
  switch (run.status) {
    case 'queued':
      lines.push(`${what} is queued.`);
      break;
    case 'running':
      lines.push(`${what} is running.`);
      break;
    case 'interrupted':
      lines.push(
        `${what} was interrupted: the backend running it stopped (a restart or a crash) before it finished. Re-run it from the CI/CD tab.`,
      );
      break;
    default:
      lines.push(`${what} ${run.status}${duration(run.durationMs)}.`);
  }
  if (run.message) lines.push('', escapeMarkdown(firstLine(run.message)));

  const tests = detail?.tests ?? run.tests;
  if (tests) {
    lines.push(
      '',
      '| Passed | Failed | Skipped |',
      '| ---: | ---: | ---: |',
      `| ${tests.passed} | ${tests.failed} | ${tests.skipped} |`,
    );
  }
  const failures = detail?.tests?.failures ?? [];
  if (failures.length) {
    lines.push('', '### Failing tests', '');
    for (const f of failures.slice(0, MAX_FAILURES_LISTED)) {
      const name = f.suite ? `${f.suite} › ${f.name}` : f.name;
      const message = f.message
        ? `: ${escapeMarkdown(firstLine(f.message))}`
        : '';
      lines.push(`- \`${inlineCode(name)}\`${message}`);
    }
    if (failures.length > MAX_FAILURES_LISTED) {
      lines.push(`- … and ${failures.length - MAX_FAILURES_LISTED} more`);
    }
  }
  const summary = lines.join('\n');
  return summary.length > MAX_SUMMARY_LENGTH
    ? `${summary.slice(0, MAX_SUMMARY_LENGTH - 2)}\n…`
    : summary;
}

function duration(ms?: number): string {
  if (ms === undefined) return '';
  const s = Math.round(ms / 1000);
  return s < 60 ? ` in ${s} s` : ` in ${Math.floor(s / 60)} min ${s % 60} s`;
}

function plural(n: number, word: string) {
  return n === 1 ? word : `${word}s`;
}

function firstLine(text: string): string {
  const line = text.trim().split(/\r?\n/)[0] ?? '';
  return line.length > MAX_MESSAGE_LENGTH
    ? `${line.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
    : line;
}

/** Text from a test or a commit, shown as text and not as markup. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~]/g, c => `\\${c}`);
}

function inlineCode(text: string): string {
  return firstLine(text).replace(/`/g, "'");
}

/** GitHub documents its timestamps as `YYYY-MM-DDTHH:MM:SSZ`. */
function isoSeconds(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime())
    ? timestamp
    : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
