import {
  DESCRIPTOR_FILES,
  DescriptorKind,
  DescriptorSource,
  fileProblem,
  Result,
} from '@gitops/descriptors-common';
import { LoadedRepository } from './load';

/**
 * A generator's outcome for a repository: its output, or every problem
 * that stopped it (reading, YAML, catalog-info, the descriptor, the
 * generator), each with file, line and column.
 *
 * @public
 */
export type RepositoryResult<T> = Result<T>;

/**
 * The descriptor a generator needs, or the problems that stop it: the
 * repository's own (reading, YAML, catalog-info) and a missing file.
 *
 * @public
 */
export function requireSource(
  repo: LoadedRepository,
  kind: DescriptorKind,
  nothingTo: string,
): Result<DescriptorSource> {
  const source = repo.source(kind);
  if (!source) {
    return {
      ok: false,
      problems: [
        ...repo.problems,
        fileProblem(DESCRIPTOR_FILES[kind], `missing: nothing to ${nothingTo}`),
      ],
    };
  }
  return repo.problems.length
    ? { ok: false, problems: repo.problems }
    : { ok: true, value: source };
}
