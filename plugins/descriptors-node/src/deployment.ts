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
 * environment.
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
    return {
      ok: false,
      problems: [
        ...(info.ok ? [] : info.problems),
        ...(manifests.ok ? [] : manifests.problems),
      ],
    };
  }
  const rendered = renderDeployment({
    info: info.value,
    manifests: manifests.objects,
    commit: options.commit,
    environment: options.environment,
    context: repo.context,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  return rendered.ok ? { ok: true, value: rendered.objects } : rendered;
}
