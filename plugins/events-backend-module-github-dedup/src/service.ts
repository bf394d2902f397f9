import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { GithubDeliveryDeduplicator } from './GithubDeliveryDeduplicator';

/**
 * The events service with GitHub delivery deduplication for the events
 * plugin. It builds every plugin's events service exactly as
 * `eventsServiceFactory` from `@backstage/plugin-events-node` does; only the
 * `events` plugin's (the one its HTTP ingress publishes webhooks with) is
 * wrapped in a {@link GithubDeliveryDeduplicator}, with the events plugin's
 * cache.
 *
 * The deduplication sits in the events service rather than in an ingress
 * validator because the events backend keeps one validator per topic and
 * the GitHub module already registers the `github` one (its signature
 * check); a second registration would replace one of them depending on the
 * order in which modules happen to start.
 *
 * @public
 */
export const githubDeliveryDedupEventsServiceFactory = createServiceFactory({
  service: eventsServiceRef,
  deps: {
    pluginMetadata: coreServices.pluginMetadata,
    rootLogger: coreServices.rootLogger,
    discovery: coreServices.discovery,
    logger: coreServices.logger,
    lifecycle: coreServices.lifecycle,
    auth: coreServices.auth,
    config: coreServices.rootConfig,
    cache: coreServices.cache,
  },
  async createRootContext({ rootLogger, config }) {
    return DefaultEventsService.create({ logger: rootLogger, config });
  },
  async factory(
    { pluginMetadata, discovery, logger, lifecycle, auth, cache },
    root,
  ) {
    const pluginId = pluginMetadata.getId();
    const events = root.forPlugin(pluginId, {
      discovery,
      logger,
      lifecycle,
      auth,
    });
    if (pluginId !== 'events') {
      return events;
    }
    return new GithubDeliveryDeduplicator({ delegate: events, cache, logger });
  },
});
