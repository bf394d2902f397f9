import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
// The githost API modules need lives in the plugin package (no -node package yet).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { githostServiceRef } from '@gitops/plugin-githost-backend';
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
