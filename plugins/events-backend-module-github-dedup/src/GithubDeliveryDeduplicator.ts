import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  EventParams,
  EventsService,
  EventsServiceSubscribeOptions,
} from '@backstage/plugin-events-node';
import { HumanDuration } from '@backstage/types';

/**
 * The topic the events backend's GitHub module publishes webhooks on.
 *
 * @public
 */
export const GITHUB_WEBHOOK_TOPIC = 'github';

/**
 * The header GitHub sends with every delivery, as the events backend passes
 * it on in `metadata`.
 *
 * @public
 */
export const GITHUB_DELIVERY_HEADER = 'x-github-delivery';

/**
 * How long a delivery id is remembered. GitHub lets a delivery be
 * redelivered for 3 days.
 *
 * @public
 */
export const DEFAULT_DELIVERY_TTL: HumanDuration = { days: 3 };

// GitHub's delivery ids are GUIDs; anything beyond this shape is not used as
// a cache key.
const DELIVERY_ID_PATTERN = /^[A-Za-z0-9-]{1,100}$/;

/**
 * Reads a usable delivery id from event metadata (the request headers).
 *
 * @public
 */
export function readGithubDeliveryId(
  metadata: EventParams['metadata'],
): string | undefined {
  const value = metadata?.[GITHUB_DELIVERY_HEADER];
  if (typeof value !== 'string' || !DELIVERY_ID_PATTERN.test(value)) {
    return undefined;
  }
  return value;
}

/**
 * An {@link @backstage/plugin-events-node#EventsService} that publishes
 * each GitHub webhook delivery once: an event on the `github` topic whose
 * `x-github-delivery` was already published within the TTL is dropped (the
 * HTTP ingress still answers 202, so GitHub sees the redelivery
 * acknowledged). Everything else goes to the wrapped service unchanged.
 *
 * Delivery ids are claimed in the cache before publishing, so backend
 * replicas sharing a cache store (Redis, Valkey, Memcache) skip each other's
 * deliveries; the claim is released again when publishing fails, so a
 * redelivery can then go through. Only events that passed the ingress's
 * signature check are published, so unsigned requests never claim ids.
 *
 * @public
 */
export class GithubDeliveryDeduplicator implements EventsService {
  readonly #delegate: EventsService;
  readonly #cache: CacheService;
  readonly #logger: LoggerService;
  readonly #ttl: HumanDuration | number;
  /** Delivery ids being published by this process right now. */
  readonly #inFlight = new Set<string>();

  constructor(options: {
    delegate: EventsService;
    cache: CacheService;
    logger: LoggerService;
    ttl?: HumanDuration | number;
  }) {
    this.#delegate = options.delegate;
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#ttl = options.ttl ?? DEFAULT_DELIVERY_TTL;
  }

  async publish(params: EventParams): Promise<void> {
    if (params.topic !== GITHUB_WEBHOOK_TOPIC) {
      await this.#delegate.publish(params);
      return;
    }
    const deliveryId = readGithubDeliveryId(params.metadata);
    if (!deliveryId) {
      this.#logger.warn(
        `GitHub webhook event without a usable ${GITHUB_DELIVERY_HEADER} header; publishing it without deduplication`,
      );
      await this.#delegate.publish(params);
      return;
    }

    const key = `github-delivery:${deliveryId}`;
    // Claimed synchronously: a concurrent copy in this process sees it
    // before either awaits the cache.
    if (this.#inFlight.has(key)) {
      this.#logSkipped(deliveryId, params);
      return;
    }
    this.#inFlight.add(key);
    try {
      if ((await this.#cache.get(key)) !== undefined) {
        this.#logSkipped(deliveryId, params);
        return;
      }
      await this.#cache.set(
        key,
        { event: eventName(params) ?? null, at: new Date().toISOString() },
        { ttl: this.#ttl },
      );
      try {
        await this.#delegate.publish(params);
      } catch (error) {
        await this.#cache.delete(key).catch(deleteError => {
          this.#logger.warn(
            `Could not release GitHub delivery ${deliveryId} after a failed publish`,
            deleteError,
          );
        });
        throw error;
      }
    } finally {
      this.#inFlight.delete(key);
    }
  }

  async subscribe(options: EventsServiceSubscribeOptions): Promise<void> {
    await this.#delegate.subscribe(options);
  }

  #logSkipped(deliveryId: string, params: EventParams) {
    this.#logger.info(
      `Ignored GitHub delivery ${deliveryId} (${
        eventName(params) ?? 'unknown event'
      }): it was already published`,
    );
  }
}

function eventName(params: EventParams): string | undefined {
  const value = params.metadata?.['x-github-event'];
  return typeof value === 'string' && /^[a-z_]{1,64}$/.test(value)
    ? value
    : undefined;
}
