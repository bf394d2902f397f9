import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createExpandPipelineAction,
  createGenerateMonitoringAction,
  createRenderDeploymentAction,
  createValidateDescriptorsAction,
} from './actions';

/**
 * Registers the gitops:* actions with the scaffolder.
 *
 * @public
 */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(
          createValidateDescriptorsAction(),
          createExpandPipelineAction(),
          createRenderDeploymentAction(),
          createGenerateMonitoringAction(),
        );
      },
    });
  },
});
