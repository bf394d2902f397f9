import {
  deploymentInputFields,
  renderRepositoryDeployment,
} from '@gitops/descriptors-node';
import { deploymentFiles, objectRef } from '@gitops/plugin-deployments-common';
import { loadRepositoryInput } from './repository';
import { entityRefInput, filesInput, generatorOutputFields } from './schemas';
import { GitopsActionsOptions, READ_ONLY } from './types';

/**
 * `gitops:render-deployment`: deployment-info.yaml and kubernetes/ rendered
 * for a commit and an environment, the same files as
 * `gitops render-deployment --out` and the scaffolder's
 * `gitops:deployment:render`.
 */
export function registerRenderDeploymentAction({
  actionsRegistry,
  catalog,
}: GitopsActionsOptions) {
  actionsRegistry.register({
    name: 'render-deployment',
    title: 'Render the deployment',
    description:
      "Renders a service repository's deployment-info.yaml and kubernetes/ manifests, sent as text, into the Kubernetes objects to apply for a commit and an environment: images pinned to the commit, a namespace per component and an Argo Rollouts canary. Answers with the manifest files, or with the problems that stopped it (a bad commit, environment or registry included), each with file, line and column.",
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          files: filesInput(z),
          entityRef: entityRefInput(z),
          commit: deploymentInputFields.commit(z),
          environment: deploymentInputFields.environment(z),
          registry: deploymentInputFields.registry(z),
        }),
      output: z =>
        z.object({
          ...generatorOutputFields(z),
          objects: z
            .array(z.string())
            .describe(
              'The rendered objects as Kind/namespace/name (Kind/name when cluster-scoped); empty when not ok',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const repo = await loadRepositoryInput(input, { catalog, credentials });
      const result = renderRepositoryDeployment(repo, {
        commit: input.commit,
        environment: input.environment,
        registry: input.registry,
      });
      if (!result.ok) {
        return {
          output: {
            ok: false,
            files: [],
            problems: result.problems,
            objects: [],
          },
        };
      }
      return {
        output: {
          ok: true,
          files: deploymentFiles(result.value),
          problems: [],
          objects: result.value.map(objectRef),
        },
      };
    },
  });
}
