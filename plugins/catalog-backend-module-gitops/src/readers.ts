import path from 'node:path';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { isError, NotFoundError } from '@backstage/errors';
import {
  DEFAULT_YAML_LIMITS,
  DESCRIPTOR_FILES,
  DescriptorKind,
  DescriptorProblem,
  DescriptorSetSources,
  DescriptorSource,
  KUBERNETES_FOLDER,
} from '@gitops/descriptors-common';
import { readRepository } from '@gitops/descriptors-node';

/** The files found beside a catalog-info.yaml, and problems reading them. */
export interface DescriptorFiles {
  sources: DescriptorSetSources;
  problems: DescriptorProblem[];
}

/** Most manifest files read from kubernetes/. */
const MAX_MANIFEST_FILES = 500;

const problem = (file: string, message: string): DescriptorProblem => ({
  file,
  line: 1,
  column: 1,
  path: '',
  message,
});

/**
 * Reads the descriptors beside a catalog-info.yaml on disk (`file`
 * locations, such as the examples). The repository reader never follows a
 * symlink and refuses oversize files.
 */
export async function readFileLocation(
  target: string,
): Promise<DescriptorFiles> {
  const repo = await readRepository(path.dirname(target));
  return {
    sources: { descriptors: repo.descriptors, manifests: repo.manifests },
    problems: repo.problems,
  };
}

/**
 * Reads the descriptors beside a catalog-info.yaml at a URL through
 * Backstage's UrlReader (GitHub, the local git hosting, ...). Sibling files
 * are resolved relative to the catalog-info URL; kubernetes/ is read as a
 * tree.
 */
export async function readUrlLocation(
  reader: UrlReaderService,
  target: string,
  maxBytes = DEFAULT_YAML_LIMITS.maxBytes,
): Promise<DescriptorFiles> {
  const problems: DescriptorProblem[] = [];
  const descriptors: Partial<Record<DescriptorKind, DescriptorSource>> = {};
  await Promise.all(
    (Object.entries(DESCRIPTOR_FILES) as [DescriptorKind, string][]).map(
      async ([kind, name]) => {
        const url = new URL(name, target).toString();
        try {
          const response = await reader.readUrl(url);
          const buffer = await response.buffer();
          if (buffer.length > maxBytes) {
            problems.push(
              problem(
                name,
                `file is ${buffer.length} bytes, more than the limit of ${maxBytes} bytes`,
              ),
            );
            return;
          }
          descriptors[kind] = { path: name, text: buffer.toString('utf8') };
        } catch (error) {
          if (isError(error) && error.name === NotFoundError.name) return;
          throw error;
        }
      },
    ),
  );

  const manifests: DescriptorSource[] = [];
  // Trees are addressed as .../tree/<ref>/<path> by GitHub and the local
  // hosting alike.
  const treeUrl = new URL(`${KUBERNETES_FOLDER}/`, target)
    .toString()
    .replace('/blob/', '/tree/')
    .replace(/\/$/, '');
  try {
    const tree = await reader.readTree(treeUrl);
    const files = (await tree.files())
      .filter(f => /\.ya?ml$/.test(f.path))
      .sort((a, b) => a.path.localeCompare(b.path));
    if (files.length > MAX_MANIFEST_FILES) {
      problems.push(
        problem(
          KUBERNETES_FOLDER,
          `holds ${files.length} manifest files, more than the limit of ${MAX_MANIFEST_FILES}`,
        ),
      );
    }
    for (const file of files.slice(0, MAX_MANIFEST_FILES)) {
      const rel = `${KUBERNETES_FOLDER}/${file.path}`;
      const buffer = await file.content();
      if (buffer.length > maxBytes) {
        problems.push(
          problem(
            rel,
            `file is ${buffer.length} bytes, more than the limit of ${maxBytes} bytes`,
          ),
        );
        continue;
      }
      manifests.push({ path: rel, text: buffer.toString('utf8') });
    }
  } catch (error) {
    if (!(isError(error) && error.name === NotFoundError.name)) throw error;
  }
  return { sources: { descriptors, manifests }, problems };
}
