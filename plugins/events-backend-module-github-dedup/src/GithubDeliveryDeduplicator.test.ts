import { CacheService } from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  GithubDeliveryDeduplicator,
  readGithubDeliveryId,
} from './GithubDeliveryDeduplicator';

/** The real in-memory cache store of the backend, with its TTL handling. */
function memoryCache(): CacheService {
  return CacheManager.fromConfig(new ConfigReader({})).forPlugin('events');
}

/** An events service that records what reaches it. */
function recordingEvents(publish?: (params: EventParams) => Promise<void>) {
  const published: EventParams[] = [];
  const events: EventsService = {
    async publish(params) {
      await publish?.(params);
      published.push(params);
    },
    async subscribe() {},
  };
  return { events, published };
}

function delivery(id: string, topic = 'github'): EventParams {
  return {
    topic,
    eventPayload: { ref: 'refs/heads/main' },
    metadata: { 'x-github-event': 'push', 'x-github-delivery': id },
  };
}

const ID = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

describe('GithubDeliveryDeduplicator', () => {
  it('publishes a delivery once, however often it comes', async () => {
    const { events, published } = recordingEvents();
    const dedup = new GithubDeliveryDeduplicator({
      delegate: events,
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
    });

    await dedup.publish(delivery(ID));
    await dedup.publish(delivery(ID));
    await dedup.publish(delivery('another-delivery'));

    expect(published.map(p => p.metadata?.['x-github-delivery'])).toEqual([
      ID,
      'another-delivery',
    ]);
  });

  it('publishes one of two copies arriving at the same time', async () => {
    const { events, published } = recordingEvents();
    const dedup = new GithubDeliveryDeduplicator({
      delegate: events,
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
    });

    await Promise.all([
      dedup.publish(delivery(ID)),
      dedup.publish(delivery(ID)),
    ]);

    expect(published).toHaveLength(1);
  });

  it('skips a delivery another replica sharing the cache has published', async () => {
    const cache = memoryCache();
    const replicaA = recordingEvents();
    const replicaB = recordingEvents();
    const logger = mockServices.logger.mock();

    await new GithubDeliveryDeduplicator({
      delegate: replicaA.events,
      cache,
      logger,
    }).publish(delivery(ID));
    await new GithubDeliveryDeduplicator({
      delegate: replicaB.events,
      cache,
      logger,
    }).publish(delivery(ID));

    expect(replicaA.published).toHaveLength(1);
    expect(replicaB.published).toHaveLength(0);
  });

  it('lets a redelivery through when publishing the first copy failed', async () => {
    let fail = true;
    const { events, published } = recordingEvents(async () => {
      if (fail) throw new Error('events bus unavailable');
    });
    const dedup = new GithubDeliveryDeduplicator({
      delegate: events,
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
    });

    await expect(dedup.publish(delivery(ID))).rejects.toThrow(
      'events bus unavailable',
    );
    fail = false;
    await dedup.publish(delivery(ID));

    expect(published).toHaveLength(1);
  });

  it('forgets a delivery id after the TTL, so the store stays bounded', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-22T10:00:00Z') });
    try {
      const { events, published } = recordingEvents();
      const dedup = new GithubDeliveryDeduplicator({
        delegate: events,
        cache: memoryCache(),
        logger: mockServices.logger.mock(),
        ttl: { hours: 1 },
      });

      await dedup.publish(delivery(ID));
      jest.setSystemTime(new Date('2026-11-22T10:59:00Z'));
      await dedup.publish(delivery(ID));
      expect(published).toHaveLength(1);

      jest.setSystemTime(new Date('2026-11-22T11:01:00Z'));
      await dedup.publish(delivery(ID));
      expect(published).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('passes other topics through untouched, even with a delivery header', async () => {
    const { events, published } = recordingEvents();
    const dedup = new GithubDeliveryDeduplicator({
      delegate: events,
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
    });

    // The router's github.push copies carry the same delivery header.
    await dedup.publish(delivery(ID, 'github.push'));
    await dedup.publish(delivery(ID, 'github.push'));

    expect(published).toHaveLength(2);
  });

  it('publishes a github event without a usable delivery id, and says so', async () => {
    const { events, published } = recordingEvents();
    const logger = mockServices.logger.mock();
    const dedup = new GithubDeliveryDeduplicator({
      delegate: events,
      cache: memoryCache(),
      logger,
    });

    await dedup.publish({ topic: 'github', eventPayload: {}, metadata: {} });
    await dedup.publish({ topic: 'github', eventPayload: {}, metadata: {} });

    expect(published).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('without a usable x-github-delivery header'),
    );
  });

  it('hands subscriptions to the wrapped service', async () => {
    const { events } = recordingEvents();
    const subscribe = jest.spyOn(events, 'subscribe');
    const dedup = new GithubDeliveryDeduplicator({
      delegate: events,
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
    });
    const options = { id: 'x', topics: ['github.push'], onEvent: jest.fn() };

    await dedup.subscribe(options);

    expect(subscribe).toHaveBeenCalledWith(options);
  });
});

describe('readGithubDeliveryId', () => {
  it('reads the GUID GitHub sends', () => {
    expect(readGithubDeliveryId({ 'x-github-delivery': ID })).toBe(ID);
  });

  it('ignores missing, repeated and oddly shaped values', () => {
    expect(readGithubDeliveryId(undefined)).toBeUndefined();
    expect(readGithubDeliveryId({})).toBeUndefined();
    expect(
      readGithubDeliveryId({ 'x-github-delivery': [ID, ID] }),
    ).toBeUndefined();
    expect(
      readGithubDeliveryId({ 'x-github-delivery': 'a b:c' }),
    ).toBeUndefined();
    expect(
      readGithubDeliveryId({ 'x-github-delivery': 'a'.repeat(101) }),
    ).toBeUndefined();
  });
});
