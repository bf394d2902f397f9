import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { PipelinesClient, pipelinesApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The pipelines plugin for apps on the legacy frontend system. Apps on the
 * new frontend system use the default export of
 * `@gitops/plugin-pipelines/alpha` instead.
 *
 * @public
 */
export const pipelinesPlugin = createPlugin({
  id: 'pipelines',
  apis: [
    createApiFactory({
      api: pipelinesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PipelinesClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The CI/CD tab's content, for an `EntityLayout.Route` (legacy frontend
 * system), usually at `/ci-cd` with `if={isPipelinesAvailable}`. Without a
 * build-info.yaml it shows how to add one.
 *
 * @public
 */
export const EntityPipelinesContent = pipelinesPlugin.provide(
  createRoutableExtension({
    name: 'EntityPipelinesContent',
    component: () =>
      import('./components/PipelinesContent').then(m => m.PipelinesContent),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The latest run of each pipeline, for the entity overview (legacy frontend
 * system).
 *
 * @public
 */
export const EntityLatestRunCard = pipelinesPlugin.provide(
  createComponentExtension({
    name: 'EntityLatestRunCard',
    component: {
      lazy: () =>
        import('./components/LatestRunCard').then(m => m.LatestRunCard),
    },
  }),
);
