import fs from 'node:fs/promises';
import path from 'node:path';
import { generateRepositoryMonitoring } from '@gitops/descriptors-node';
import { monitoringFiles } from '@gitops/plugin-monitoring-common';
import { loadRepository } from '../lib/load';
import { Output } from '../lib/output';
import { reportProblems } from '../lib/report';
import { ContextOptions } from '../lib/context';

/**
 * `gitops generate-monitoring <dir> --out <dir>`: writes
 * dashboards/*.json, prometheus/rules.yaml and alertmanager/routes.yaml.
 * Nothing is written when there is any problem.
 */
export async function generateMonitoringCommand(
  dir: string,
  options: ContextOptions & { out: string },
  out: Output,
): Promise<number> {
  const repo = await loadRepository(dir, options);
  const result = generateRepositoryMonitoring(repo);
  if (!result.ok) return reportProblems(dir, result.problems, out);
  for (const file of monitoringFiles(result.value)) {
    const target = path.join(options.out, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, 'utf8');
    out.stdout(`${target}\n`);
  }
  return 0;
}
