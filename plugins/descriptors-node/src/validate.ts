import {
  DescriptorProblem,
  ParsedDescriptorSet,
  DescriptorSetSources,
  sortProblems,
  validateCatalogInfo,
} from '@gitops/descriptors-common';
import { parseBuildInfo } from '@gitops/plugin-pipelines-common';
import { parseMonitoringInfo } from '@gitops/plugin-monitoring-common';
import {
  parseDeploymentInfo,
  parseManifests,
} from '@gitops/plugin-deployments-common';

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
): DescriptorProblem[] {
  const problems = [
    ...parsed.problems,
    ...validateCatalogInfo(parsed.descriptors.catalog ?? []),
  ];
  const clean = (file: string) => !parsed.problems.some(p => p.file === file);
  const { build, deployment, monitoring } = sources.descriptors;
  if (build && clean(build.path)) {
    const result = parseBuildInfo(build);
    if (!result.ok) problems.push(...result.problems);
  }
  if (deployment && clean(deployment.path)) {
    const result = parseDeploymentInfo(deployment);
    if (!result.ok) problems.push(...result.problems);
  }
  const manifests = (sources.manifests ?? []).filter(m => clean(m.path));
  if (manifests.length > 0) {
    const result = parseManifests(manifests);
    if (!result.ok) problems.push(...result.problems);
  }
  if (monitoring && clean(monitoring.path)) {
    const result = parseMonitoringInfo(monitoring);
    if (!result.ok) problems.push(...result.problems);
  }
  return sortProblems(problems);
}
