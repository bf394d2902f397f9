import { renderRepositoryDeployment } from '@gitops/descriptors-node';
import { deploymentFiles } from '@gitops/plugin-deployments-common';
import { emitFiles } from '../lib/files';
import { loadRepository } from '../lib/load';
import { Output } from '../lib/output';
import { reportProblems } from '../lib/report';
import { ContextOptions } from '../lib/context';

/**
 * `gitops render-deployment <dir> --commit <sha> [--out <dir>]`: the
 * Kubernetes objects to apply, as `deploymentFiles` serialises them:
 * written as `objects.yaml` under `--out`, or printed as one
 * multi-document YAML stream (behind a `# objects.yaml` comment line) that
 * `kubectl apply -f -` takes. Nothing is written when there is any problem.
 */
export async function renderDeploymentCommand(
  dir: string,
  options: ContextOptions & {
    commit: string;
    environment: string;
    registry?: string;
    out?: string;
  },
  out: Output,
): Promise<number> {
  const repo = await loadRepository(dir, options);
  const result = renderRepositoryDeployment(repo, options);
  if (!result.ok) return reportProblems(dir, result.problems, out);
  await emitFiles(deploymentFiles(result.value), options.out, out);
  return 0;
}
