import {
  coreServices,
  createBackendModule,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { GitopsDescriptorsProcessor } from './GitopsDescriptorsProcessor';
import {
  defaultWorkerCount,
  inlineAnalyzer,
  WorkerPoolAnalyzer,
} from './analysisPool';

/**
 * The number of analysis worker threads, from
 * `catalog.gitops.analysisWorkers` (one per spare core, at most 4, by
 * default); anything but a whole number from 0 to 64 stops the backend.
 */
export function analysisWorkersFromConfig(config: RootConfigService): number {
  const key = 'catalog.gitops.analysisWorkers';
  const size = config.getOptionalNumber(key) ?? defaultWorkerCount();
  if (!Number.isInteger(size) || size < 0 || size > 64) {
    throw new Error(`${key} must be a whole number from 0 to 64, got ${size}`);
  }
  return size;
}

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
        config: coreServices.rootConfig,
        lifecycle: coreServices.lifecycle,
      },
      async init({ catalog, reader, logger, config, lifecycle }) {
        const size = analysisWorkersFromConfig(config);
        const analyzer =
          size > 0 ? new WorkerPoolAnalyzer({ size, logger }) : inlineAnalyzer;
        lifecycle.addShutdownHook(() => analyzer.close());
        catalog.addProcessor(
          new GitopsDescriptorsProcessor({ reader, logger, analyzer }),
        );
      },
    });
  },
});
