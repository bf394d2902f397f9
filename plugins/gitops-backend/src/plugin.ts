import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { registerGitopsActions } from './actions';

/**
 * The suite's validation and generators as actions of Backstage's actions
 * registry: `gitops:validate-descriptors`, `gitops:expand-pipeline`,
 * `gitops:render-deployment` and `gitops:generate-monitoring`, run with the
 * caller's credentials. The MCP actions plugin offers them as tools when
 * `backend.actions.pluginSources` lists `gitops`.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
      },
      async init({ actionsRegistry, catalog }) {
        registerGitopsActions({ actionsRegistry, catalog });
      },
    });
  },
});
