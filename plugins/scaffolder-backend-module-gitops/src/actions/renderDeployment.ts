import { stringify } from 'yaml';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { renderRepositoryDeployment } from '@gitops/descriptors-node';
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
      "Renders the repository's deployment-info.yaml and kubernetes/ folder into the Kubernetes objects to apply: images pinned to the commit, a namespace per component and an Argo Rollouts canary.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...repositoryPathInput,
        commit: z =>
          z
            .string()
            .regex(
              /^[0-9a-f]{7,40}$/,
              'a commit SHA: 7 to 40 lower-case hex characters',
            )
            .describe('The commit being deployed; images are pinned to it'),
        environment: z =>
          z.string().default('production').describe('The target environment'),
        registry: z =>
          z
            .string()
            .optional()
            .describe('Container registry for images that name none'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'File inside the workspace to write the manifests to (multi-document YAML); not written when omitted',
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
      const yaml = rendered.value
        .map(o => stringify(o, { lineWidth: 0 }))
        .join('---\n');
      if (targetPath && !ctx.isDryRun) {
        await ctx.checkpoint({
          key: `gitops-deployment-${targetPath}-${commit}-${environment}`,
          fn: async () => {
            await writeWorkspaceFiles(ctx.workspacePath, '.', [
              { path: targetPath, content: yaml },
            ]);
          },
        });
      }
      ctx.output('manifests', yaml);
      ctx.output(
        'objects',
        rendered.value.map(
          o =>
            `${o.kind}/${
              o.metadata?.namespace ? `${o.metadata.namespace}/` : ''
            }${o.metadata?.name}`,
        ),
      );
    },
  });
}
