import path from 'node:path';
import {
  catalogContextFromRepository,
  CatalogContext,
  DescriptorKind,
  DescriptorProblem,
  DescriptorSource,
  parseDescriptorSet,
  ParsedDescriptorSet,
  sortProblems,
  validateCatalogInfo,
} from '@gitops/descriptors-common';
import { readRepository, RepositoryFiles } from './repository';

/**
 * A repository's files parsed, with the catalog context its own files
 * describe.
 *
 * @public
 */
export interface LoadedRepository {
  readonly files: RepositoryFiles;
  readonly parsed: ParsedDescriptorSet;
  /** The context from the repository's catalog-info.yaml and kubernetes/. */
  readonly context: CatalogContext;
  /**
   * Reading and YAML problems of every file, and problems of
   * catalog-info.yaml that make the catalog context unreliable.
   */
  readonly problems: DescriptorProblem[];
  /** The source of a descriptor, or undefined when the file is absent. */
  source(kind: DescriptorKind): DescriptorSource | undefined;
}

/**
 * Reads and parses a repository on disk.
 *
 * @public
 */
export async function loadRepository(dir: string): Promise<LoadedRepository> {
  return repositoryFromFiles(
    await readRepository(dir),
    path.basename(path.resolve(dir)),
  );
}

/**
 * Parses a repository's files, wherever they were read (disk, a caller's
 * list): the one path from files to what the generators take.
 *
 * @param name - the component's name when catalog-info.yaml gives none
 *   (the folder's name for a repository on disk)
 * @public
 */
export function repositoryFromFiles(
  files: RepositoryFiles,
  name: string,
): LoadedRepository {
  const parsed = parseDescriptorSet({
    descriptors: files.descriptors,
    manifests: files.manifests,
  });
  const context = catalogContextFromRepository({
    catalogEntities: (parsed.descriptors.catalog ?? []).map(d => d.data),
    manifests: parsed.manifests.flatMap(m => m.documents.map(d => d.data)),
    fallbackName: name,
  });
  return {
    files,
    parsed,
    context,
    problems: sortProblems([
      ...files.problems,
      ...parsed.problems,
      ...validateCatalogInfo(parsed.descriptors.catalog ?? []),
    ]),
    source: kind => files.descriptors[kind],
  };
}
