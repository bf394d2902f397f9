import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { GitopsDescriptorsProcessor } from './GitopsDescriptorsProcessor';

/**
 * Adds the descriptor processor to the catalog.
 *
 * @public
 */
export const catalogModuleGitops = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        reader: coreServices.urlReader,
        logger: coreServices.logger,
      },
      async init({ catalog, reader, logger }) {
        catalog.addProcessor(
          new GitopsDescriptorsProcessor({ reader, logger }),
        );
      },
    });
  },
});
