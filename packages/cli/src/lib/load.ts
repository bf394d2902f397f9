import {
  DescriptorKind,
  DescriptorProblem,
  DescriptorSource,
  CatalogContext,
  parseDescriptorSet,
  ParsedDescriptorSet,
  sortProblems,
} from '@gitops/descriptors-common';
import { readRepository, RepositoryFiles } from './repository';
import { ContextOptions, resolveContext } from './context';

/** A repository read from disk, parsed, with its catalog context. */
export interface LoadedRepository {
  readonly files: RepositoryFiles;
  readonly parsed: ParsedDescriptorSet;
  readonly context: CatalogContext;
  /** Reading and YAML problems of every file. */
  readonly problems: DescriptorProblem[];
  /** The source of a descriptor, or undefined when the file is absent. */
  source(kind: DescriptorKind): DescriptorSource | undefined;
}

/** Reads and parses a repository and resolves its catalog context. */
export async function loadRepository(
  dir: string,
  options: ContextOptions = {},
): Promise<LoadedRepository> {
  const files = await readRepository(dir);
  const parsed = parseDescriptorSet({
    descriptors: files.descriptors,
    manifests: files.manifests,
  });
  const context = await resolveContext(dir, parsed, options);
  return {
    files,
    parsed,
    context,
    problems: sortProblems([...files.problems, ...parsed.problems]),
    source: kind => files.descriptors[kind],
  };
}
