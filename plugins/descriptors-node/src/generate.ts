import {
  DESCRIPTOR_FILES,
  DescriptorKind,
  DescriptorProblem,
  DescriptorSource,
  locateIssues,
} from '@gitops/descriptors-common';
import {
  expandBuildInfo,
  parseBuildInfo,
  Pipeline,
} from '@gitops/plugin-pipelines-common';
import {
  KubernetesObject,
  parseDeploymentInfo,
  parseManifests,
  renderDeployment,
} from '@gitops/plugin-deployments-common';
import {
  generateMonitoring,
  MonitoringOutput,
  parseMonitoringInfo,
} from '@gitops/plugin-monitoring-common';
import { LoadedRepository } from './load';

/**
 * A generator's outcome for a repository: its output, or every problem
 * that stopped it (reading, YAML, catalog-info, the descriptor, the
 * generator), each with file, line and column.
 *
 * @public
 */
export type RepositoryResult<T> =
  | { ok: true; value: T }
  | { ok: false; problems: DescriptorProblem[] };

/** The descriptor a generator needs, or the problems that stop it. */
function requireSource(
  repo: LoadedRepository,
  kind: DescriptorKind,
  nothingTo: string,
): RepositoryResult<DescriptorSource> {
  const source = repo.source(kind);
  if (!source) {
    const missing = {
      file: DESCRIPTOR_FILES[kind],
      line: 1,
      column: 1,
      path: '',
    };
    return {
      ok: false,
      problems: [
        ...repo.problems,
        { ...missing, message: `missing: nothing to ${nothingTo}` },
      ],
    };
  }
  return repo.problems.length
    ? { ok: false, problems: repo.problems }
    : { ok: true, value: source };
}

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
  if (!parsed.ok) return parsed;
  const expanded = expandBuildInfo(parsed.value, repo.context);
  return expanded.ok
    ? { ok: true, value: expanded.pipeline }
    : {
        ok: false,
        problems: locateIssues(
          source.value.path,
          parsed.document,
          expanded.issues,
        ),
      };
}

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

/**
 * monitoring-info.yaml generated into dashboards, rules and routes.
 *
 * @public
 */
export function generateRepositoryMonitoring(
  repo: LoadedRepository,
): RepositoryResult<MonitoringOutput> {
  const source = requireSource(repo, 'monitoring', 'generate');
  if (!source.ok) return source;
  const parsed = parseMonitoringInfo(source.value);
  return parsed.ok
    ? { ok: true, value: generateMonitoring(parsed.value, repo.context) }
    : parsed;
}
