import path from 'node:path';
import {
  DescriptorProblem,
  DescriptorSetSources,
} from '@gitops/descriptors-common';
import { readRepository } from '@gitops/descriptors-node';

/**
 * The files found beside a catalog-info.yaml, and problems reading them.
 * Components registered from a URL are read by `readUrlLocation` of
 * `@gitops/descriptors-node`, the one implementation the runtimes use too.
 */
export interface DescriptorFiles {
  sources: DescriptorSetSources;
  problems: DescriptorProblem[];
}

/**
 * Reads the descriptors beside a component's file on disk (`file`
 * locations, such as the examples). The repository reader never follows a
 * symlink and refuses oversize files. The component's own file is the
 * catalog's business (it parsed and validated it, whatever its name), so
 * catalog-info.yaml is neither required nor validated here.
 */
export async function readFileLocation(
  target: string,
): Promise<DescriptorFiles> {
  const repo = await readRepository(path.dirname(target), {
    catalogInfo: false,
  });
  return {
    sources: { descriptors: repo.descriptors, manifests: repo.manifests },
    problems: repo.problems,
  };
}
