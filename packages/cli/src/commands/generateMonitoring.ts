import fs from 'node:fs/promises';
import path from 'node:path';
import { DESCRIPTOR_FILES } from '@gitops/descriptors-common';
import {
  generateMonitoring,
  monitoringFiles,
  parseMonitoringInfo,
} from '@gitops/plugin-monitoring-common';
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
  const source = repo.source('monitoring');
  if (!source) {
    return reportProblems(
      dir,
      [
        ...repo.problems,
        {
          file: DESCRIPTOR_FILES.monitoring,
          line: 1,
          column: 1,
          path: '',
          message: 'missing: nothing to generate',
        },
      ],
      out,
    );
  }
  if (repo.problems.length) return reportProblems(dir, repo.problems, out);
  const parsed = parseMonitoringInfo(source);
  if (!parsed.ok) return reportProblems(dir, parsed.problems, out);
  const files = monitoringFiles(generateMonitoring(parsed.value, repo.context));
  for (const file of files) {
    const target = path.join(options.out, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, 'utf8');
    out.stdout(`${target}\n`);
  }
  return 0;
}
