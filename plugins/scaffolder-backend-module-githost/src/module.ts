import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { githostServiceRef } from '@gitops/plugin-githost-node';
import { createPublishGithostAction } from './actions';

/**
 * The config key naming the platform group, whose members may publish
 * under any owner. Declared by the suite's permission policy module, which
 * reads the same group.
 */
const PLATFORM_GROUP_KEY = 'gitops.permissions.platformGroup';

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
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, githost, auth, userInfo, config }) {
        scaffolder.addActions(
          createPublishGithostAction({
            githost,
            auth,
            userInfo,
            platformGroup: config.getOptionalString(PLATFORM_GROUP_KEY),
          }),
        );
      },
    });
  },
});
