import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { validateDescriptors } from '@gitops/descriptors-node';
import { examples } from './validateDescriptors.examples';
import {
  loadWorkspaceRepository,
  repositoryPathInput,
  throwProblems,
} from './workspace';

/**
 * `gitops:descriptors:validate`: checks a repository's descriptors and
 * kubernetes/ manifests; fails the step with every problem as
 * file:line:column.
 *
 * @public
 */
export function createValidateDescriptorsAction() {
  return createTemplateAction({
    id: 'gitops:descriptors:validate',
    description:
      "Validates the service repository's catalog-info.yaml, build-info.yaml, deployment-info.yaml, monitoring-info.yaml and kubernetes/ manifests.",
    examples,
    supportsDryRun: true,
    schema: {
      input: repositoryPathInput,
      output: {
        files: z => z.array(z.string()).describe('The files that were checked'),
        component: z =>
          z.string().describe('The component the repository declares'),
      },
    },
    async handler(ctx) {
      const { repo } = await loadWorkspaceRepository(
        ctx.workspacePath,
        ctx.input.path,
      );
      const problems = [
        ...repo.files.problems,
        ...validateDescriptors(
          {
            descriptors: repo.files.descriptors,
            manifests: repo.files.manifests,
          },
          repo.parsed,
        ).problems,
      ];
      if (problems.length) throwProblems(ctx.input.path, problems);
      const files = [
        ...Object.values(repo.files.descriptors).map(f => f!.path),
        ...repo.files.manifests.map(f => f.path),
      ].sort();
      ctx.logger.info(
        `${files.length} descriptor file(s) valid in ${ctx.input.path}`,
      );
      ctx.output('files', files);
      ctx.output('component', repo.context.component.name);
    },
  });
}
