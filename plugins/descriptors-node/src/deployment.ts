import { problemsOf } from '@gitops/descriptors-common';
import {
  KubernetesObject,
  parseDeploymentInfo,
  parseManifests,
  renderDeployment,
} from '@gitops/plugin-deployments-common';
import { LoadedRepository } from './load';
import { RepositoryResult, requireSource } from './sources';

/**
 * deployment-info.yaml and kubernetes/ rendered for a commit and an
 * environment. Serialise the objects with `deploymentFiles` from
 * `@gitops/plugin-deployments-common`.
 *
 * @public
 */
export function renderRepositoryDeployment(
  repo: LoadedRepository,
  options: { commit: string; environment: string; registry?: string },
): RepositoryResult<KubernetesObject[]> {
  const source = requireSource(repo, 'deployment', 'render');
  if (!source.ok) return source;
  const info = parseDeploymentInfo(source.value);
  const manifests = parseManifests(repo.files.manifests);
  if (!info.ok || !manifests.ok) {
    return { ok: false, problems: problemsOf(info, manifests) };
  }
  return renderDeployment({
    info,
    manifests: manifests.value,
    commit: options.commit,
    environment: options.environment,
    context: repo.context,
    ...(options.registry ? { registry: options.registry } : {}),
  });
}
