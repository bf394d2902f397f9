import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  deploymentInputFields,
  renderRepositoryDeployment,
} from '@gitops/descriptors-node';
import { deploymentFiles, objectRef } from '@gitops/plugin-deployments-common';
import { examples } from './renderDeployment.examples';
import {
  loadWorkspaceRepository,
  repositoryPathInput,
  throwProblems,
  writeWorkspaceFiles,
} from './workspace';

/**
 * `gitops:deployment:render`: renders deployment-info.yaml and kubernetes/
 * into the Kubernetes objects to apply for a commit and an environment.
 *
 * @public
 */
export function createRenderDeploymentAction() {
  return createTemplateAction({
    id: 'gitops:deployment:render',
    description:
      "Renders the repository's deployment-info.yaml and kubernetes/ folder into the Kubernetes objects to apply: images pinned to the commit, a namespace per component and an Argo Rollouts canary, whose canary Service is derived from the stable one when kubernetes/ does not declare it.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...repositoryPathInput,
        ...deploymentInputFields,
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'File inside the workspace to write the manifests to: the multi-document YAML of deploymentFiles, the same bytes as `gitops render-deployment --out` writes; not written when omitted',
            ),
      },
      output: {
        manifests: z =>
          z.string().describe('The rendered objects, multi-document YAML'),
        objects: z =>
          z
            .array(z.string())
            .describe('The rendered objects as Kind/namespace/name'),
      },
    },
    async handler(ctx) {
      const {
        path: repoPath,
        commit,
        environment = 'production',
        registry,
        targetPath,
      } = ctx.input;
      const { repo } = await loadWorkspaceRepository(
        ctx.workspacePath,
        repoPath,
      );
      const rendered = renderRepositoryDeployment(repo, {
        commit,
        environment,
        registry,
      });
      if (!rendered.ok) throwProblems(repoPath, rendered.problems);
      // deploymentFiles holds one file, the stream of every object in apply
      // order; targetPath names where it goes.
      const [{ content: manifests }] = deploymentFiles(rendered.value);
      if (targetPath && !ctx.isDryRun) {
        await ctx.checkpoint({
          key: `gitops-deployment-${targetPath}-${commit}-${environment}`,
          fn: async () => {
            await writeWorkspaceFiles(ctx.workspacePath, '.', [
              { path: targetPath, content: manifests },
            ]);
          },
        });
      }
      ctx.output('manifests', manifests);
      ctx.output('objects', rendered.value.map(objectRef));
    },
  });
}
