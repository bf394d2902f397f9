import { generateRepositoryMonitoring } from '@gitops/descriptors-node';
import { monitoringFiles } from '@gitops/plugin-monitoring-common';
import { loadRepositoryInput } from './repository';
import { entityRefInput, filesInput, generatorOutputFields } from './schemas';
import { GitopsActionsOptions, READ_ONLY } from './types';

/**
 * `gitops:generate-monitoring`: monitoring-info.yaml generated into
 * dashboards, rules and routes, the same files as
 * `gitops generate-monitoring --out` and the scaffolder's
 * `gitops:monitoring:generate`.
 */
export function registerGenerateMonitoringAction({
  actionsRegistry,
  catalog,
}: GitopsActionsOptions) {
  actionsRegistry.register({
    name: 'generate-monitoring',
    title: 'Generate monitoring',
    description:
      "Generates the Grafana dashboards, Prometheus alerting rules and Alertmanager routes declared by a service repository's monitoring-info.yaml, sent as text. Answers with the files (dashboards/<uid>.json, prometheus/rules.yaml, alertmanager/routes.yaml), or with the problems that stopped it, each with file, line and column.",
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          files: filesInput(z),
          entityRef: entityRefInput(z),
        }),
      output: z => z.object(generatorOutputFields(z)),
    },
    action: async ({ input, credentials }) => {
      const repo = await loadRepositoryInput(input, { catalog, credentials });
      const result = generateRepositoryMonitoring(repo);
      return {
        output: result.ok
          ? { ok: true, files: monitoringFiles(result.value), problems: [] }
          : { ok: false, files: [], problems: result.problems },
      };
    },
  });
}
