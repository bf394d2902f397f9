import { stringify } from 'yaml';
import { DESCRIPTOR_FILES } from '@gitops/descriptors-common';
import {
  parseDeploymentInfo,
  parseManifests,
  renderDeployment,
} from '@gitops/plugin-deployments-common';
import { loadRepository } from '../lib/load';
import { Output } from '../lib/output';
import { reportProblems } from '../lib/report';
import { ContextOptions } from '../lib/context';

/**
 * `gitops render-deployment <dir> --commit <sha>`: the Kubernetes objects to
 * apply, as multi-document YAML on stdout.
 */
export async function renderDeploymentCommand(
  dir: string,
  options: ContextOptions & {
    commit: string;
    environment: string;
    registry?: string;
  },
  out: Output,
): Promise<number> {
  const repo = await loadRepository(dir, options);
  const source = repo.source('deployment');
  if (!source) {
    return reportProblems(
      dir,
      [
        ...repo.problems,
        {
          file: DESCRIPTOR_FILES.deployment,
          line: 1,
          column: 1,
          path: '',
          message: 'missing: nothing to render',
        },
      ],
      out,
    );
  }
  if (repo.problems.length) return reportProblems(dir, repo.problems, out);
  const info = parseDeploymentInfo(source);
  const manifests = parseManifests(repo.files.manifests);
  const problems = [
    ...(info.ok ? [] : info.problems),
    ...(manifests.ok ? [] : manifests.problems),
  ];
  if (!info.ok || !manifests.ok) return reportProblems(dir, problems, out);
  const rendered = renderDeployment({
    info: info.value,
    manifests: manifests.objects,
    commit: options.commit,
    environment: options.environment,
    context: repo.context,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  if (!rendered.ok) return reportProblems(dir, rendered.problems, out);
  out.stdout(
    rendered.objects.map(o => stringify(o, { lineWidth: 0 })).join('---\n'),
  );
  return 0;
}
