import { generateRepositoryMonitoring } from '@gitops/descriptors-node';
import { monitoringFiles } from '@gitops/plugin-monitoring-common';
import { ContextOptions } from '../lib/context';
import { emitFiles } from '../lib/files';
import { loadRepository } from '../lib/load';
import { Output } from '../lib/output';
import { reportProblems } from '../lib/report';

/**
 * `gitops generate-monitoring <dir> --out <dir>`: writes
 * dashboards/*.json, prometheus/rules.yaml and alertmanager/routes.yaml,
 * exactly the files `monitoringFiles` makes (so the gitops:monitoring:generate
 * action writes the same bytes). Nothing is written when there is any problem.
 */
export async function generateMonitoringCommand(
  dir: string,
  options: ContextOptions & { out: string },
  out: Output,
): Promise<number> {
  const repo = await loadRepository(dir, options);
  const result = generateRepositoryMonitoring(repo);
  if (!result.ok) return reportProblems(dir, result.problems, out);
  await emitFiles(monitoringFiles(result.value), options.out, out);
  return 0;
}
