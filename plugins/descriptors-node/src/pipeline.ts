import {
  expandBuildInfo,
  parseBuildInfo,
  Pipeline,
} from '@gitops/plugin-pipelines-common';
import { LoadedRepository } from './load';
import { RepositoryResult, requireSource } from './sources';

/**
 * build-info.yaml expanded with the repository's catalog context: what the
 * CLI's expand-pipeline and the gitops:pipeline:expand action both run.
 *
 * @public
 */
export function expandRepositoryPipeline(
  repo: LoadedRepository,
): RepositoryResult<Pipeline> {
  const source = requireSource(repo, 'build', 'expand');
  if (!source.ok) return source;
  const parsed = parseBuildInfo(source.value);
  // A parsed build-info is a Descriptor: its problems point into the file.
  return parsed.ok ? expandBuildInfo(parsed, repo.context) : parsed;
}
