import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { GIT_PROTOCOL_PATHS, createRouter } from './router/createRouter';
import { githostServiceRef } from '@gitops/plugin-githost-node';

/**
 * The local git hosting: bare repositories served over git's smart HTTP
 * under `/api/githost`, with push events on the events service.
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
        githost: githostServiceRef,
      },
      async init({ httpRouter, httpAuth, logger, githost }) {
        httpRouter.use(await createRouter({ httpAuth, logger, githost }));
        // git clients cannot send Backstage tokens: the router decides.
        for (const path of GIT_PROTOCOL_PATHS) {
          httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
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
