import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  type OverridableFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { PipelinesClient, pipelinesApiRef } from './api';
import { isPipelinesAvailable } from './lib/availability';

/**
 * The pipelines API: `PipelinesClient` on the pipelines backend.
 */
const pipelinesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: pipelinesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PipelinesClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The CI/CD tab (`ci-cd`) on the pages of components with a
 * build-info.yaml; run pages are under `ci-cd/runs/:runId`.
 */
const pipelinesEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/ci-cd',
    title: 'CI/CD',
    group: 'development',
    filter: isPipelinesAvailable,
    loader: () =>
      import('./components/PipelinesContent').then(m => <m.PipelinesContent />),
  },
});

/**
 * The latest run of each pipeline, on the overview of components with a
 * build-info.yaml.
 */
const pipelinesLatestRunEntityCard = EntityCardBlueprint.make({
  name: 'latest-run',
  params: {
    filter: isPipelinesAvailable,
    loader: () =>
      import('./components/LatestRunCard').then(m => <m.LatestRunCard />),
  },
});

/**
 * The pipelines plugin for the new frontend system: the API
 * (`api:pipelines`), the CI/CD entity tab (`entity-content:pipelines`) and
 * the latest-run card (`entity-card:pipelines/latest-run`).
 *
 * Typed as a plain overridable plugin: its extensions are configured by id
 * in app-config, and the blueprints' inferred types would only add noise
 * (and an unstable union order) to the API report.
 *
 * @alpha
 */
const pipelinesPlugin: OverridableFrontendPlugin = createFrontendPlugin({
  pluginId: 'pipelines',
  title: 'CI/CD',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    pipelinesApi,
    pipelinesEntityContent,
    pipelinesLatestRunEntityCard,
  ],
});

export default pipelinesPlugin;
