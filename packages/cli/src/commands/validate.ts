import path from 'node:path';
import {
  DescriptorProblem,
  formatProblem,
  parseDescriptorSet,
  sortProblems,
} from '@gitops/descriptors-common';
import { readRepository } from '../lib/repository';
import { Output } from '../lib/output';

/** Options of `gitops validate`. */
export interface ValidateOptions {
  format?: 'text' | 'json';
}

/** The outcome of validating one repository. */
export interface ValidateReport {
  readonly root: string;
  readonly files: string[];
  readonly problems: DescriptorProblem[];
}

/**
 * Reads and checks a service repository's descriptors and manifests.
 * Problem paths are relative to the repository root.
 */
export async function validateRepository(dir: string): Promise<ValidateReport> {
  const repo = await readRepository(dir);
  const parsed = parseDescriptorSet({
    descriptors: repo.descriptors,
    manifests: repo.manifests,
  });
  return {
    root: repo.root,
    files: [
      ...Object.values(repo.descriptors).map(f => f!.path),
      ...repo.manifests.map(f => f.path),
    ].sort(),
    problems: sortProblems([...repo.problems, ...parsed.problems]),
  };
}

/** `gitops validate <dir>`: exit code 0 when clean, 1 on any problem. */
export async function validateCommand(
  dir: string,
  options: ValidateOptions,
  out: Output,
): Promise<number> {
  const report = await validateRepository(dir);
  if (options.format === 'json') {
    out.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return report.problems.length ? 1 : 0;
  }
  // Problems are printed with the directory as given, so they are clickable
  // from where the command was run.
  for (const problem of report.problems) {
    out.stderr(
      `${formatProblem({ ...problem, file: path.join(dir, problem.file) })}\n`,
    );
  }
  if (report.problems.length > 0) {
    out.stderr(`\n${report.problems.length} problem(s) in ${dir}\n`);
    return 1;
  }
  out.stdout(
    `${dir}: ${report.files.length} file(s) valid: ${report.files.join(
      ', ',
    )}\n`,
  );
  return 0;
}
