import { stringify } from 'yaml';
import { renderRepositoryDeployment } from '@gitops/descriptors-node';
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
  const result = renderRepositoryDeployment(repo, options);
  if (!result.ok) return reportProblems(dir, result.problems, out);
  out.stdout(
    result.value.map(o => stringify(o, { lineWidth: 0 })).join('---\n'),
  );
  return 0;
}
