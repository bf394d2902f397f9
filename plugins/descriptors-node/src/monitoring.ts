import {
  generateMonitoring,
  MonitoringOutput,
  parseMonitoringInfo,
} from '@gitops/plugin-monitoring-common';
import { LoadedRepository } from './load';
import { RepositoryResult, requireSource } from './sources';

/**
 * monitoring-info.yaml generated into dashboards, rules and routes: what
 * the CLI's generate-monitoring and the gitops:monitoring:generate action
 * both run.
 *
 * @public
 */
export function generateRepositoryMonitoring(
  repo: LoadedRepository,
): RepositoryResult<MonitoringOutput> {
  const source = requireSource(repo, 'monitoring', 'generate');
  if (!source.ok) return source;
  const parsed = parseMonitoringInfo(source.value);
  return parsed.ok ? generateMonitoring(parsed, repo.context) : parsed;
}
