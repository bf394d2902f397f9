import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { pipelinesExecutorsExtensionPoint } from '@gitops/plugin-pipelines-node';
import { ArgoWorkflowsExecutor } from './ArgoWorkflowsExecutor';

/**
 * Adds the `argo` executor to the pipelines backend when `pipelines.argo`
 * is configured; `pipelines.executor: argo` makes it the one that runs.
 *
 * @public
 */
export const pipelinesModuleArgo = createBackendModule({
  pluginId: 'pipelines',
  moduleId: 'argo',
  register(env) {
    env.registerInit({
      deps: {
        executors: pipelinesExecutorsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ executors, config, logger }) {
        if (!config.has('pipelines.argo')) {
          if (config.getOptionalString('pipelines.executor') === 'argo') {
            throw new Error(
              'pipelines.executor is argo but pipelines.argo is not configured (url, serviceAccountToken, ...)',
            );
          }
          logger.info(
            'pipelines.argo is not configured; the Argo Workflows executor is not added',
          );
          return;
        }
        executors.addExecutor(
          ArgoWorkflowsExecutor.fromConfig(config, { logger }),
        );
      },
    });
  },
});
