/**
 * GitHub webhooks, once each: redelivered `X-GitHub-Delivery` ids are
 * acknowledged but not published again, and malformed JSON gets a 400.
 * Works with `@backstage/plugin-events-backend-module-github`, which checks
 * the signatures.
 *
 * @packageDocumentation
 */

import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { eventsModuleGithubDedup } from './module';
import { githubDeliveryDedupEventsServiceFactory } from './service';

/**
 * The module and the events service factory it needs, to add with one
 * `backend.add(import('@gitops/plugin-events-backend-module-github-dedup'))`.
 *
 * @public
 */
export default createBackendFeatureLoader({
  *loader() {
    yield githubDeliveryDedupEventsServiceFactory;
    yield eventsModuleGithubDedup;
  },
});

export { eventsModuleGithubDedup, hasGithubWebhookSecret } from './module';
export { githubDeliveryDedupEventsServiceFactory } from './service';
export {
  DEFAULT_DELIVERY_TTL,
  GITHUB_DELIVERY_HEADER,
  GITHUB_WEBHOOK_TOPIC,
  GithubDeliveryDeduplicator,
  readGithubDeliveryId,
} from './GithubDeliveryDeduplicator';
