import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { githostServiceRef } from '@gitops/plugin-githost-node';
import { PushEventLog } from './events/PushEventLog';
import { GIT_PROTOCOL_PATHS, createRouter } from './router/createRouter';

/**
 * The local git hosting: bare repositories served over git's smart HTTP
 * under `/api/githost`, with push events on the events service, recorded in
 * the plugin's database before a push completes.
 *
 * @public
 */
export const githostPlugin = createBackendPlugin({
  pluginId: 'githost',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        githost: githostServiceRef,
      },
      async init({
        httpRouter,
        httpAuth,
        logger,
        database,
        lifecycle,
        githost,
      }) {
        const pushEvents = await PushEventLog.create({
          database,
          githost,
          events: githost.events,
          logger,
        });
        httpRouter.use(
          await createRouter({ httpAuth, logger, githost, pushEvents }),
        );
        // git clients cannot send Backstage tokens: the router decides.
        for (const path of GIT_PROTOCOL_PATHS) {
          httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
        // Push events recorded but not published when the backend last
        // stopped (a crash mid-push) go out now, with their delivery ids.
        lifecycle.addStartupHook(async () => {
          await pushEvents.recover();
        });
        logger.info(
          `Serving git repositories from ${githost.settings.root} at ${
            githost.urls.baseUrl
          }; anonymous push ${
            githost.settings.allowAnonymousPush ? 'allowed' : 'refused'
          }`,
        );
      },
    });
  },
});
