/**
 * The CI/CD tab of the suite: a component's pipeline runs, live logs, test
 * results, build-duration trends and its expanded pipeline.
 *
 * The main entry holds the legacy frontend system's plugin and extensions
 * and the API; the new frontend system's plugin is the default export of
 * `@gitops/plugin-pipelines/alpha`.
 *
 * @packageDocumentation
 */

export {
  pipelinesPlugin,
  EntityPipelinesContent,
  EntityLatestRunCard,
} from './plugin';
export { rootRouteRef } from './routes';
export { PipelinesContent } from './components/PipelinesContent';
export { LatestRunCard } from './components/LatestRunCard';
export { isPipelinesAvailable } from './lib/availability';
export { PipelinesClient, pipelinesApiRef } from './api';
export type {
  ExpandedPipeline,
  FollowLogHandlers,
  ListRunsRequest,
  LogSubscription,
  PipelinesApi,
} from './api';
