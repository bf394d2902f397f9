import path from 'node:path';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { sortedStrings } from '@gitops/descriptors-common';
import {
  expandRepositoryPipeline,
  pipelineInputFields,
} from '@gitops/descriptors-node';
import { PIPELINE_FILE, pipelineFiles } from '@gitops/plugin-pipelines-common';
import { examples } from './expandPipeline.examples';
import {
  loadWorkspaceRepository,
  repositoryPathInput,
  throwProblems,
  writeWorkspaceFiles,
} from './workspace';

/**
 * How `gitops:pipeline:expand` also writes the pipeline into the workspace.
 * Declared rather than inferred from the zod enum, so the API report does
 * not depend on the order TypeScript happens to print a union in.
 *
 * @public
 */
export type PipelineWriteAs = 'none' | 'github-actions' | 'argo-workflows';

/**
 * `gitops:pipeline:expand`: expands build-info.yaml into the full pipeline
 * (Tingle format), and optionally writes GitHub Actions workflows or Argo
 * Workflows into the workspace: the files `gitops expand-pipeline` writes,
 * byte for byte, since both take them from `pipelineFiles`.
 *
 * @public
 */
export function createExpandPipelineAction(): TemplateAction<
  { writeAs: PipelineWriteAs; path: string },
  { pipeline: string; pipelineNames: string[]; files: string[] },
  'v2'
> {
  return createTemplateAction({
    id: 'gitops:pipeline:expand',
    description:
      "Expands the repository's build-info.yaml into its full pipeline definition, the same expansion the CI/CD tab and the CLI use.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...repositoryPathInput,
        // Declared once, in descriptors-node, with the registry's fields.
        writeAs: pipelineInputFields.writeAs,
      },
      output: {
        pipeline: z =>
          z
            .string()
            .describe(
              `The expanded pipeline, as YAML: the ${PIPELINE_FILE} that \`gitops expand-pipeline --format tingle\` writes`,
            ),
        pipelineNames: z =>
          z.array(z.string()).describe('Names of the pipelines'),
        files: z =>
          z.array(z.string()).describe('Files written into the workspace'),
      },
    },
    async handler(ctx) {
      // The scaffolder applies the schema's default; a direct call may not.
      const { path: repoPath, writeAs = 'none' } = ctx.input;
      const { repo } = await loadWorkspaceRepository(
        ctx.workspacePath,
        repoPath,
      );
      const result = expandRepositoryPipeline(repo);
      if (!result.ok) throwProblems(repoPath, result.problems);
      const pipeline = result.value;
      const options = { component: repo.context.component.name };
      const files =
        writeAs === 'none' ? [] : pipelineFiles(pipeline, writeAs, options);
      // A dry run reports what it would write, the same way a real run does.
      const written = ctx.isDryRun
        ? sortedStrings(files.map(f => path.posix.join(repoPath, f.path)))
        : await ctx.checkpoint({
            key: `gitops-pipeline-files-${repoPath}-${writeAs}`,
            fn: () => writeWorkspaceFiles(ctx.workspacePath, repoPath, files),
          });
      const [tingle] = pipelineFiles(pipeline, 'tingle', options);
      ctx.output('pipeline', tingle.content);
      ctx.output(
        'pipelineNames',
        pipeline.pipelines.map(p => p.pipeline),
      );
      ctx.output('files', written);
    },
  });
}
