import {
  expandRepositoryPipeline,
  pipelineInputFields,
} from '@gitops/descriptors-node';
import { pipelineFiles } from '@gitops/plugin-pipelines-common';
import { loadRepositoryInput } from './repository';
import { entityRefInput, filesInput, generatorOutputFields } from './schemas';
import { GitopsActionsOptions, READ_ONLY } from './types';

/**
 * `gitops:expand-pipeline`: build-info.yaml expanded into the full pipeline,
 * the same files as `gitops expand-pipeline --out` and the scaffolder's
 * `gitops:pipeline:expand`.
 */
export function registerExpandPipelineAction({
  actionsRegistry,
  catalog,
}: GitopsActionsOptions) {
  actionsRegistry.register({
    name: 'expand-pipeline',
    title: 'Expand the build pipeline',
    description:
      "Expands a service repository's build-info.yaml, sent as text, into its full pipeline: the expansion the CI/CD tab, the gitops CLI and the scaffolder action use. Answers with the files in the chosen format (tingle: pipeline.yaml; github-actions: .github/workflows/*.yaml; argo-workflows: argo/*.yaml), or with the problems that stopped it, each with file, line and column.",
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          files: filesInput(z),
          entityRef: entityRefInput(z),
          format: pipelineInputFields.format(z),
        }),
      output: z =>
        z.object({
          ...generatorOutputFields(z),
          pipelineNames: z
            .array(z.string())
            .describe('Names of the expanded pipelines; empty when not ok'),
        }),
    },
    action: async ({ input, credentials }) => {
      const repo = await loadRepositoryInput(input, { catalog, credentials });
      const result = expandRepositoryPipeline(repo);
      if (!result.ok) {
        return {
          output: {
            ok: false,
            files: [],
            problems: result.problems,
            pipelineNames: [],
          },
        };
      }
      const pipeline = result.value;
      return {
        output: {
          ok: true,
          files: pipelineFiles(pipeline, input.format, {
            component: repo.context.component.name,
          }),
          problems: [],
          pipelineNames: pipeline.pipelines.map(p => p.pipeline),
        },
      };
    },
  });
}
