import {
  loadRepository as loadFromDisk,
  LoadedRepository,
} from '@gitops/descriptors-node';
import { ContextOptions, resolveContext } from './context';

/**
 * Reads and parses a repository; the catalog context comes from its own
 * files, or from a running Backstage with `--catalog-url`.
 */
export async function loadRepository(
  dir: string,
  options: ContextOptions = {},
): Promise<LoadedRepository> {
  const repo = await loadFromDisk(dir);
  if (!options.catalogUrl) return repo;
  return { ...repo, context: await resolveContext(repo.context, options) };
}
