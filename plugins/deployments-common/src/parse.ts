import {
  DataPath,
  DescriptorProblem,
  DescriptorSource,
  MANIFEST_MAX_DOCUMENTS,
  ParsedYamlDocument,
  parseDescriptor,
  parseYaml,
  problemIn,
  Result,
  sortedBy,
  sortProblems,
  ValidateResult,
} from '@gitops/descriptors-common';
import { KubernetesObject } from './kubernetes';
import { checkManifestData } from './manifestChecks';
import { DeploymentInfo, deploymentInfoSchema } from './schema';

/**
 * One object of a file in kubernetes/, checked: it has an apiVersion, a
 * kind and a valid name, is of a namespaced kind Tugboat deploys, and its
 * container images are valid references. It carries the YAML document it
 * was read from, so the renderer can point at the line behind a problem.
 *
 * @public
 */
export interface ManifestObject {
  /** The file it was read from, as the caller named it. */
  readonly file: string;
  /** 0-based index of its YAML document in the file (empty documents count). */
  readonly index: number;
  /**
   * The parsed document, for positions; absent for hand-built objects,
   * whose problems are reported at the top of `file`.
   */
  readonly document?: ParsedYamlDocument;
  /** The object as written. */
  readonly object: KubernetesObject;
}

/** A problem in a manifest, `path` relative to its object. */
export function manifestProblem(
  manifest: ManifestObject,
  path: DataPath,
  message: string,
): DescriptorProblem {
  return problemIn(manifest, path, message);
}

/**
 * Parses and validates `deployment-info.yaml`, reporting every problem with
 * its position. An ok result is the `Descriptor<DeploymentInfo>` that
 * {@link renderDeployment} takes.
 *
 * @public
 */
export function parseDeploymentInfo(
  source: DescriptorSource,
  documents?: ReadonlyArray<ParsedYamlDocument>,
): ValidateResult<DeploymentInfo> {
  return parseDescriptor(source, deploymentInfoSchema, {
    documents,
    emptyMessage:
      'deployment-info.yaml is empty: it needs version: 1 and components',
  });
}

/**
 * Parses the files of kubernetes/: at most {@link @gitops/descriptors-common#MANIFEST_MAX_DOCUMENTS}
 * documents per file, empty documents skipped, every object checked (see
 * {@link ManifestObject}). Objects come out ordered by file, then position.
 *
 * @public
 */
export function parseManifests(
  sources: ReadonlyArray<DescriptorSource>,
  parsedFiles?: ReadonlyArray<{
    path: string;
    documents: ReadonlyArray<ParsedYamlDocument>;
  }>,
): Result<ManifestObject[]> {
  // Files already parsed by the caller (parseDescriptorSet) are not parsed again.
  const known = new Map(parsedFiles?.map(f => [f.path, f.documents]));
  const problems: DescriptorProblem[] = [];
  const objects: ManifestObject[] = [];
  for (const source of sortedBy(sources, s => s.path)) {
    const documents = known.get(source.path);
    const parsed = documents
      ? { ok: true as const, documents: [...documents] }
      : parseYaml(source.path, source.text, {
          maxDocuments: MANIFEST_MAX_DOCUMENTS,
        });
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    parsed.documents.forEach((document, index) => {
      // A document holding nothing (a trailing ---, only comments) is no object.
      if (document.data === null || document.data === undefined) return;
      const found = checkManifestData(document.data, (path, message) =>
        document.problemAt(path, message),
      );
      if (found.length > 0) {
        problems.push(...found);
        return;
      }
      objects.push({
        file: source.path,
        index,
        document,
        object: document.data as KubernetesObject,
      });
    });
  }
  return problems.length > 0
    ? { ok: false, problems: sortProblems(problems) }
    : { ok: true, value: objects };
}
