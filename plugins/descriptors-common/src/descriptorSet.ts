import { DESCRIPTOR_MAX_DOCUMENTS, DescriptorKind } from './descriptors';
import { parseYaml, ParsedYamlDocument, YamlLimits } from './parseYaml';
import { DescriptorProblem, sortProblems } from './problems';

/** A text file of a service repository, path relative to its root. @public */
export interface DescriptorSource {
  readonly path: string;
  readonly text: string;
}

/**
 * The files of one service repository that the suite reads, however they
 * were fetched (disk, UrlReader, a scaffolder workspace).
 *
 * @public
 */
export interface DescriptorSetSources {
  readonly descriptors: Partial<Record<DescriptorKind, DescriptorSource>>;
  readonly manifests?: ReadonlyArray<DescriptorSource>;
}

/** @public */
export interface ParsedDescriptorSet {
  readonly descriptors: Partial<Record<DescriptorKind, ParsedYamlDocument[]>>;
  readonly manifests: ReadonlyArray<{
    path: string;
    documents: ParsedYamlDocument[];
  }>;
  /** Every problem of every file, sorted by file and position. */
  readonly problems: DescriptorProblem[];
}

/**
 * Most YAML documents in one file of kubernetes/ (a file may hold a whole
 * component's objects).
 *
 * @public
 */
export const MANIFEST_MAX_DOCUMENTS = 100;

/**
 * Parses every descriptor and manifest of a repository, keeping going past
 * bad files so that all problems are reported at once.
 *
 * @public
 */
export function parseDescriptorSet(
  sources: DescriptorSetSources,
  limits: Omit<YamlLimits, 'maxDocuments'> = {},
): ParsedDescriptorSet {
  const problems: DescriptorProblem[] = [];
  const descriptors: Partial<Record<DescriptorKind, ParsedYamlDocument[]>> = {};
  for (const [kind, source] of Object.entries(sources.descriptors) as [
    DescriptorKind,
    DescriptorSource,
  ][]) {
    const result = parseYaml(source.path, source.text, {
      ...limits,
      maxDocuments: DESCRIPTOR_MAX_DOCUMENTS[kind],
    });
    if (result.ok) descriptors[kind] = result.documents;
    else problems.push(...result.problems);
  }
  const manifests: { path: string; documents: ParsedYamlDocument[] }[] = [];
  for (const source of sources.manifests ?? []) {
    const result = parseYaml(source.path, source.text, {
      ...limits,
      maxDocuments: MANIFEST_MAX_DOCUMENTS,
    });
    if (result.ok)
      manifests.push({ path: source.path, documents: result.documents });
    else problems.push(...result.problems);
  }
  return { descriptors, manifests, problems: sortProblems(problems) };
}
