import { DescriptorProblem, sortProblems } from '@gitops/descriptors-common';
import { loadRepository, validateDescriptors } from '@gitops/descriptors-node';
import { Output } from '../lib/output';
import { reportProblems } from '../lib/report';

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
 * Reads a service repository and checks every descriptor against its
 * language and every manifest. Problem paths are relative to the root.
 */
export async function validateRepository(dir: string): Promise<ValidateReport> {
  const repo = await loadRepository(dir);
  const sources = {
    descriptors: repo.files.descriptors,
    manifests: repo.files.manifests,
  };
  return {
    root: repo.files.root,
    files: [
      ...Object.values(repo.files.descriptors).map(f => f!.path),
      ...repo.files.manifests.map(f => f.path),
    ].sort(),
    problems: sortProblems([
      ...repo.files.problems,
      ...validateDescriptors(sources, repo.parsed).problems,
    ]),
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
  if (report.problems.length) return reportProblems(dir, report.problems, out);
  out.stdout(
    `${dir}: ${report.files.length} file(s) valid: ${report.files.join(
      ', ',
    )}\n`,
  );
  return 0;
}
