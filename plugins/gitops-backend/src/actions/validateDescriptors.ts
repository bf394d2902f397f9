import { validateLoadedRepository } from '@gitops/descriptors-node';
import { loadRepositoryInput } from './repository';
import { filesInput, problemOutput } from './schemas';
import { GitopsActionsOptions, READ_ONLY } from './types';

/**
 * `gitops:validate-descriptors`: checks a repository's descriptors and
 * manifests and answers with every problem, as `gitops validate` and the
 * scaffolder's `gitops:descriptors:validate` do.
 */
export function registerValidateDescriptorsAction({
  actionsRegistry,
  catalog,
}: GitopsActionsOptions) {
  actionsRegistry.register({
    name: 'validate-descriptors',
    title: 'Validate service descriptors',
    description:
      "Validates a service repository's catalog-info.yaml, build-info.yaml, deployment-info.yaml, monitoring-info.yaml and kubernetes/ manifests, sent as text. Answers with every problem found, each with file, line and column; valid is true when there is none.",
    attributes: READ_ONLY,
    schema: {
      input: z => z.object({ files: filesInput(z) }),
      output: z =>
        z.object({
          valid: z.boolean().describe('Whether no problem was found'),
          component: z
            .string()
            .describe('The component the repository declares'),
          files: z
            .array(z.string())
            .describe('The files that were checked, sorted by path'),
          problems: z
            .array(problemOutput(z))
            .describe('Every problem, with file, line and column'),
        }),
    },
    action: async ({ input, credentials }) => {
      const repo = await loadRepositoryInput(input, { catalog, credentials });
      const { files, problems } = validateLoadedRepository(repo);
      return {
        output: {
          valid: problems.length === 0,
          component: repo.context.component.name,
          files,
          problems,
        },
      };
    },
  });
}
