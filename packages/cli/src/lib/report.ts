import path from 'node:path';
import { DescriptorProblem, formatProblem } from '@gitops/descriptors-common';
import { Output } from './output';

/**
 * Prints problems with paths relative to where the command was run, and a
 * count; returns exit code 1 (or 0 when there are none).
 */
export function reportProblems(
  dir: string,
  problems: ReadonlyArray<DescriptorProblem>,
  out: Output,
): number {
  for (const problem of problems) {
    out.stderr(
      `${formatProblem({ ...problem, file: path.join(dir, problem.file) })}\n`,
    );
  }
  if (problems.length === 0) return 0;
  out.stderr(`\n${problems.length} problem(s) in ${dir}\n`);
  return 1;
}
