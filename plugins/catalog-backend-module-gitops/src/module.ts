import {
  coreServices,
  createBackendModule,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { Duration } from '@gitops/descriptors-common';
import { GitopsDescriptorsProcessor } from './GitopsDescriptorsProcessor';
import {
  DEFAULT_ANALYSIS_TIMEOUT,
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

/** An analysis takes milliseconds; an hour is already no limit at all. */
const MAX_ANALYSIS_TIMEOUT = Duration.hours(1);

/**
 * How long one analysis may run on a worker, from
 * `catalog.gitops.analysisTimeout` (`5s` by default); anything but a
 * duration from 1s to 1h (`5s`, `1m`) stops the backend.
 */
export function analysisTimeoutFromConfig(config: RootConfigService): Duration {
  const key = 'catalog.gitops.analysisTimeout';
  const text = config.getOptionalString(key);
  if (text === undefined) return DEFAULT_ANALYSIS_TIMEOUT;
  const timeout = Duration.parse(text);
  if (!timeout || timeout.isLongerThan(MAX_ANALYSIS_TIMEOUT)) {
    throw new Error(
      `${key} must be a duration from 1s to ${MAX_ANALYSIS_TIMEOUT}, such as 5s or 1m, got ${JSON.stringify(
        text,
      )}`,
    );
  }
  return timeout;
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
        const timeout = analysisTimeoutFromConfig(config);
        const analyzer =
          size > 0
            ? new WorkerPoolAnalyzer({ size, logger, timeout })
            : inlineAnalyzer;
        lifecycle.addShutdownHook(() => analyzer.close());
        catalog.addProcessor(
          new GitopsDescriptorsProcessor({ reader, logger, analyzer }),
        );
      },
    });
  },
});
