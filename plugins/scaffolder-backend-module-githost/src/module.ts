import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { githostServiceRef } from '@gitops/plugin-githost-node';
import { createPublishGithostAction } from './actions';

/**
 * Registers publish:githost with the scaffolder.
 *
 * @public
 */
export const scaffolderModuleGithost = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'githost',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        githost: githostServiceRef,
      },
      async init({ scaffolder, githost }) {
        scaffolder.addActions(createPublishGithostAction({ githost }));
      },
    });
  },
});
