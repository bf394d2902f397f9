import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import {
  GITHUB_WEBHOOK_TOPIC,
  GithubDeliveryDeduplicator,
} from './GithubDeliveryDeduplicator';
import { jsonBodyParser } from './jsonBodyParser';

/**
 * Whether the events backend's GitHub module has a secret to check webhook
 * signatures with: `events.modules.github.webhookSecret`, or the
 * `webhookSecret` of a GitHub App in `integrations.github`. Without one it
 * registers no `/api/events/http/github` route at all.
 *
 * @public
 */
export function hasGithubWebhookSecret(config: Config): boolean {
  if (config.getOptionalString('events.modules.github.webhookSecret')) {
    return true;
  }
  return (config.getOptionalConfigArray('integrations.github') ?? []).some(
    integration =>
      (integration.getOptionalConfigArray('apps') ?? []).some(app =>
        Boolean(app.getOptionalString('webhookSecret')),
      ),
  );
}

/**
 * Events module for GitHub webhooks received by
 * `@backstage/plugin-events-backend-module-github`:
 *
 * - checks that the events plugin publishes through a
 *   {@link GithubDeliveryDeduplicator} (see
 *   `githubDeliveryDedupEventsServiceFactory`), so a redelivered
 *   `X-GitHub-Delivery` is never published twice;
 * - answers a body that is not JSON with 400 instead of 500;
 * - refuses to start when `events.http.topics` would open an unsigned
 *   `github` ingress because no webhook secret is configured.
 *
 * @public
 */
export const eventsModuleGithubDedup = createBackendModule({
  pluginId: 'events',
  moduleId: 'github-dedup',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsServiceRef,
        extension: eventsExtensionPoint,
      },
      async init({ config, logger, events, extension }) {
        if (!(events instanceof GithubDeliveryDeduplicator)) {
          throw new Error(
            'GitHub webhook deduplication is not active: the events plugin does not use githubDeliveryDedupEventsServiceFactory. ' +
              'Another factory for the events service was added to the backend; remove it or add githubDeliveryDedupEventsServiceFactory instead.',
          );
        }
        extension.addHttpPostBodyParser({
          contentType: 'application/json',
          parser: jsonBodyParser,
        });

        if (hasGithubWebhookSecret(config)) {
          logger.info(
            `GitHub webhooks at /api/events/http/${GITHUB_WEBHOOK_TOPIC}: signatures checked, each delivery published once`,
          );
          return;
        }
        const httpTopics =
          config.getOptionalStringArray('events.http.topics') ?? [];
        if (httpTopics.includes(GITHUB_WEBHOOK_TOPIC)) {
          throw new Error(
            `events.http.topics lists '${GITHUB_WEBHOOK_TOPIC}' but no GitHub webhook secret is configured: ` +
              'that would accept unsigned webhooks. Set events.modules.github.webhookSecret, or remove the topic.',
          );
        }
        logger.info(
          `GitHub webhooks are not received: no events.modules.github.webhookSecret, so /api/events/http/${GITHUB_WEBHOOK_TOPIC} does not exist`,
        );
      },
    });
  },
});
