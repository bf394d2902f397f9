import {
  DescriptorProblem,
  ParsedDescriptorSet,
  DescriptorSetSources,
  Result,
  sortedStrings,
  sortProblems,
  validateCatalogInfo,
} from '@gitops/descriptors-common';
import { BuildInfo, parseBuildInfo } from '@gitops/plugin-pipelines-common';
import {
  MonitoringInfo,
  parseMonitoringInfo,
} from '@gitops/plugin-monitoring-common';
import {
  DeploymentInfo,
  ManifestObject,
  parseDeploymentInfo,
  parseManifests,
} from '@gitops/plugin-deployments-common';
import { LoadedRepository } from './load';

/**
 * Every problem of a repository's descriptors, and the values of those that
 * are valid.
 *
 * @public
 */
export interface DescriptorValidation {
  readonly problems: DescriptorProblem[];
  readonly build?: BuildInfo;
  readonly deployment?: DeploymentInfo;
  readonly monitoring?: MonitoringInfo;
  readonly manifests?: ManifestObject[];
}

/**
 * Checks every descriptor of a repository against its language, after the
 * YAML checks of {@link @gitops/descriptors-common#parseDescriptorSet}: the
 * one validation the CLI, the scaffolder action and the catalog module share.
 * Files whose YAML is broken are not checked again.
 *
 * @public
 */
export function validateDescriptors(
  sources: DescriptorSetSources,
  parsed: ParsedDescriptorSet,
): DescriptorValidation {
  const problems = [
    ...parsed.problems,
    ...validateCatalogInfo(parsed.descriptors.catalog ?? []),
  ];
  const clean = (file: string) => !parsed.problems.some(p => p.file === file);
  const { build, deployment, monitoring } = sources.descriptors;
  const check = <T>(result: Result<T>): T | undefined => {
    if (result.ok) return result.value;
    problems.push(...result.problems);
    return undefined;
  };
  const values = {
    build:
      build && clean(build.path)
        ? check(parseBuildInfo(build, parsed.descriptors.build))
        : undefined,
    deployment:
      deployment && clean(deployment.path)
        ? check(parseDeploymentInfo(deployment, parsed.descriptors.deployment))
        : undefined,
    monitoring:
      monitoring && clean(monitoring.path)
        ? check(parseMonitoringInfo(monitoring, parsed.descriptors.monitoring))
        : undefined,
  };
  const manifestSources = (sources.manifests ?? []).filter(m => clean(m.path));
  let manifests: ManifestObject[] | undefined;
  if (manifestSources.length > 0) {
    const result = parseManifests(manifestSources, parsed.manifests);
    if (result.ok) manifests = result.value;
    else problems.push(...result.problems);
  }
  return { problems: sortProblems(problems), ...values, manifests };
}

/**
 * What validating a whole repository found: the files that were checked and
 * every problem, reading problems included, in report order.
 *
 * @public
 */
export interface RepositoryValidation {
  readonly files: string[];
  readonly problems: DescriptorProblem[];
}

/**
 * Validates a loaded repository: {@link validateDescriptors} on its files,
 * plus the problems met reading them (missing, too big, not a descriptor).
 * What `gitops validate`, the scaffolder action and the registry action
 * report.
 *
 * @public
 */
export function validateLoadedRepository(
  repo: LoadedRepository,
): RepositoryValidation {
  const { descriptors, manifests } = repo.files;
  return {
    files: sortedStrings([
      ...Object.values(descriptors).map(f => f!.path),
      ...manifests.map(f => f.path),
    ]),
    problems: sortProblems([
      ...repo.files.problems,
      ...validateDescriptors({ descriptors, manifests }, repo.parsed).problems,
    ]),
  };
}
