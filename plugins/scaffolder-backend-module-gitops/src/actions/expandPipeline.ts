import path from 'node:path';
import { stringify } from 'yaml';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { expandRepositoryPipeline } from '@gitops/descriptors-node';
import {
  Pipeline,
  renderArgoWorkflows,
  renderGithubActions,
} from '@gitops/plugin-pipelines-common';
import { examples } from './expandPipeline.examples';
import {
  loadWorkspaceRepository,
  repositoryPathInput,
  throwProblems,
  writeWorkspaceFiles,
} from './workspace';

/**
 * `gitops:pipeline:expand`: expands build-info.yaml into the full pipeline
 * (Tingle format), and optionally writes GitHub Actions workflows or Argo
 * Workflows into the workspace.
 *
 * @public
 */
export function createExpandPipelineAction() {
  return createTemplateAction({
    id: 'gitops:pipeline:expand',
    description:
      "Expands the repository's build-info.yaml into its full pipeline definition, the same expansion the CI/CD tab and the CLI use.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...repositoryPathInput,
        writeAs: z =>
          z
            .enum(['none', 'github-actions', 'argo-workflows'])
            .default('none')
            .describe(
              'Also write the pipeline into the repository: GitHub Actions workflows under .github/workflows/, or Argo Workflows under argo/',
            ),
      },
      output: {
        pipeline: z => z.string().describe('The expanded pipeline, as YAML'),
        pipelineNames: z =>
          z.array(z.string()).describe('Names of the pipelines'),
        files: z =>
          z.array(z.string()).describe('Files written into the workspace'),
      },
    },
    async handler(ctx) {
      const { path: repoPath, writeAs } = ctx.input;
      const { repo } = await loadWorkspaceRepository(
        ctx.workspacePath,
        repoPath,
      );
      const result = expandRepositoryPipeline(repo);
      if (!result.ok) throwProblems(repoPath, result.problems);
      const pipeline = result.value;
      const component = repo.context.component.name;
      const files = renderFiles(pipeline, component, writeAs);
      // A dry run reports what it would write, the same way a real run does.
      const written = ctx.isDryRun
        ? files.map(f => path.posix.join(repoPath, f.path)).sort()
        : await ctx.checkpoint({
            key: `gitops-pipeline-files-${repoPath}-${writeAs}`,
            fn: () => writeWorkspaceFiles(ctx.workspacePath, repoPath, files),
          });
      ctx.output('pipeline', stringify(pipeline, { lineWidth: 0 }));
      ctx.output(
        'pipelineNames',
        pipeline.pipelines.map(p => p.pipeline),
      );
      ctx.output('files', written);
    },
  });
}

/** The files `writeAs` asks for, paths relative to the repository. */
function renderFiles(
  pipeline: Pipeline,
  component: string,
  writeAs: 'none' | 'github-actions' | 'argo-workflows',
): { path: string; content: string }[] {
  switch (writeAs) {
    case 'github-actions':
      return renderGithubActions(pipeline, component).map(f => ({
        path: f.path,
        content: stringify(f.workflow, { lineWidth: 0 }),
      }));
    case 'argo-workflows':
      return renderArgoWorkflows(pipeline, component).map(w => ({
        path: `argo/${
          (w.metadata as { labels: Record<string, string> }).labels[
            'gitops.io/pipeline'
          ]
        }.yaml`,
        content: stringify(w, { lineWidth: 0 }),
      }));
    default:
      return [];
  }
}
