import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { GitopsPermissionPolicy } from './GitopsPermissionPolicy';
import { PLATFORM_GROUP_CONFIG_KEY, platformGroupFromConfig } from './subject';

/**
 * The suite's permission policy ({@link GitopsPermissionPolicy}) in the
 * permission backend, with the platform group of
 * `gitops.permissions.platformGroup`. Replaces the allow-all policy.
 *
 * @public
 */
export const permissionModuleGitopsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'gitops-policy',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, logger, userInfo, policy }) {
        const platformGroup = platformGroupFromConfig(config);
        if (platformGroup) {
          logger.info(`The platform group is ${platformGroup}`);
        } else {
          logger.warn(
            `${PLATFORM_GROUP_CONFIG_KEY} is not set: nobody is in the platform group, so owners manage their own entities and tasks, ` +
              'and unregistering locations, dry-runs, the template editor and the Kubernetes proxy are refused to everyone',
          );
        }
        policy.setPolicy(
          new GitopsPermissionPolicy({ platformGroup, userInfo }),
        );
      },
    });
  },
});
