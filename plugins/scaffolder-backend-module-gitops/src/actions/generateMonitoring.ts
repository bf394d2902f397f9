import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { sortedStrings } from '@gitops/descriptors-common';
import { generateRepositoryMonitoring } from '@gitops/descriptors-node';
import { monitoringFiles } from '@gitops/plugin-monitoring-common';
import { examples } from './generateMonitoring.examples';
import {
  loadWorkspaceRepository,
  repositoryPathInput,
  throwProblems,
  writeWorkspaceFiles,
} from './workspace';

/**
 * `gitops:monitoring:generate`: generates the Grafana dashboards,
 * Prometheus rules and Alertmanager routes of monitoring-info.yaml into the
 * workspace.
 *
 * @public
 */
export function createGenerateMonitoringAction() {
  return createTemplateAction({
    id: 'gitops:monitoring:generate',
    description:
      "Generates the Grafana dashboards, Prometheus alerting rules and Alertmanager routes declared by the repository's monitoring-info.yaml.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...repositoryPathInput,
        targetPath: z =>
          z
            .string()
            .default('generated/monitoring')
            .describe(
              'Folder inside the workspace for dashboards/*.json, prometheus/rules.yaml and alertmanager/routes.yaml',
            ),
      },
      output: {
        dashboards: z =>
          z.array(z.string()).describe('Titles of the generated dashboards'),
        alerts: z =>
          z.array(z.string()).describe('Names of the generated alerts'),
        files: z =>
          z.array(z.string()).describe('Files written into the workspace'),
      },
    },
    async handler(ctx) {
      const { path: repoPath, targetPath = 'generated/monitoring' } = ctx.input;
      const { repo } = await loadWorkspaceRepository(
        ctx.workspacePath,
        repoPath,
      );
      const result = generateRepositoryMonitoring(repo);
      if (!result.ok) throwProblems(repoPath, result.problems);
      const output = result.value;
      // Exactly the files the CLI's generate-monitoring writes.
      const files = monitoringFiles(output);
      const written = ctx.isDryRun
        ? sortedStrings(files.map(f => `${targetPath}/${f.path}`))
        : await ctx.checkpoint({
            key: `gitops-monitoring-files-${repoPath}-${targetPath}`,
            fn: () => writeWorkspaceFiles(ctx.workspacePath, targetPath, files),
          });
      ctx.output(
        'dashboards',
        output.dashboards.map(d => d.title),
      );
      ctx.output(
        'alerts',
        sortedStrings(
          output.prometheusRules.groups.flatMap(g => g.rules.map(r => r.alert)),
        ),
      );
      ctx.output('files', written);
    },
  });
}
