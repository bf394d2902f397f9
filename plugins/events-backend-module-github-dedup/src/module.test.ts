import { randomUUID } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { sign } from '@octokit/webhooks-methods';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  EventParams,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import githubDedup from './index';
import { eventsModuleGithubDedup } from './module';

const SECRET = 'it-is-a-secret-to-everybody';
const WEBHOOK_PATH = '/api/events/http/github';

/** A trimmed push payload as GitHub sends it. */
function pushPayload(after = 'b'.repeat(40)) {
  return {
    ref: 'refs/heads/main',
    before: 'a'.repeat(40),
    after,
    created: false,
    deleted: false,
    forced: false,
    repository: {
      name: 'svc',
      full_name: 'team-a/svc',
      owner: { login: 'team-a' },
      clone_url: 'https://github.com/team-a/svc.git',
      default_branch: 'main',
    },
    pusher: { name: 'jane' },
    commits: [],
  };
}

/** The headers GitHub sends with a delivery. */
function deliveryHeaders(
  signature: string | undefined,
  deliveryId = randomUUID(),
  event = 'push',
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': event,
    'x-github-delivery': deliveryId,
    'x-github-hook-id': '1234',
    ...(signature ? { 'x-hub-signature-256': signature } : {}),
  };
}

/**
 * The two modules of @backstage/plugin-events-backend-module-github: the
 * webhook ingress with its signature check, and the router from `github` to
 * `github.<event>`. The package's default export is a feature loader that
 * loads exactly these with import(), which Jest cannot run without
 * --experimental-vm-modules, so the test loads them itself.
 */
function githubModuleFeatures() {
  const dist = path.join(
    path.dirname(
      require.resolve(
        '@backstage/plugin-events-backend-module-github/package.json',
      ),
    ),
    'dist',
    'service',
  );
  return [
    require(path.join(dist, 'eventsModuleGithubWebhook.cjs.js')).default,
    require(path.join(dist, 'eventsModuleGithubEventRouter.cjs.js')).default,
  ];
}

/**
 * A plugin subscribing to github.push the way the pipelines plugin does, in
 * another plugin than the events backend.
 */
function subscriberPlugin(received: EventParams[]) {
  return createBackendPlugin({
    pluginId: 'subscriber',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'pushes',
            topics: ['github.push'],
            async onEvent(params) {
              received.push(params);
            },
          });
        },
      });
    },
  });
}

async function startBackend(config: Record<string, unknown>) {
  const received: EventParams[] = [];
  const backend = await startTestBackend({
    features: [
      eventsPlugin,
      ...githubModuleFeatures(),
      githubDedup,
      subscriberPlugin(received),
      mockServices.rootConfig.factory({
        data: { events: { useEventBus: 'never', ...config } },
      }),
    ],
  });
  return { backend, received };
}

async function post(
  server: Parameters<typeof request>[0],
  body: string,
  headers: Record<string, string>,
) {
  return request(server).post(WEBHOOK_PATH).set(headers).send(body);
}

describe('GitHub webhooks with a webhook secret', () => {
  let env: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    env = await startBackend({
      modules: { github: { webhookSecret: SECRET } },
    });
  });
  afterAll(() => env.backend.stop());
  beforeEach(() => {
    env.received.length = 0;
  });

  it('publishes a correctly signed push on github.push', async () => {
    const payload = pushPayload();
    const body = JSON.stringify(payload);
    const deliveryId = randomUUID();
    const res = await post(
      env.backend.server,
      body,
      deliveryHeaders(await sign(SECRET, body), deliveryId),
    );

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'accepted' });
    expect(env.received).toHaveLength(1);
    const [event] = env.received;
    expect(event.topic).toBe('github.push');
    expect(event.eventPayload).toEqual(payload);
    expect(event.metadata).toMatchObject({
      'x-github-event': 'push',
      'x-github-delivery': deliveryId,
    });
  });

  it('refuses a signature made with another secret and publishes nothing', async () => {
    const body = JSON.stringify(pushPayload());
    const res = await post(
      env.backend.server,
      body,
      deliveryHeaders(await sign('not-the-secret', body)),
    );

    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'invalid signature' });
    expect(env.received).toEqual([]);
  });

  it('refuses a body changed after signing', async () => {
    const signed = JSON.stringify(pushPayload());
    const tampered = JSON.stringify(pushPayload('c'.repeat(40)));
    const res = await post(
      env.backend.server,
      tampered,
      deliveryHeaders(await sign(SECRET, signed)),
    );

    expect(res.status).toBe(403);
    expect(env.received).toEqual([]);
  });

  it('refuses a delivery without a signature', async () => {
    const body = JSON.stringify(pushPayload());
    const res = await post(
      env.backend.server,
      body,
      deliveryHeaders(undefined),
    );

    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'invalid signature' });
    expect(env.received).toEqual([]);
  });

  it('acknowledges a redelivery of the same delivery id without publishing it again', async () => {
    const body = JSON.stringify(pushPayload());
    const headers = deliveryHeaders(await sign(SECRET, body));

    const first = await post(env.backend.server, body, headers);
    const redelivery = await post(env.backend.server, body, headers);

    expect(first.status).toBe(202);
    expect(redelivery.status).toBe(202);
    expect(redelivery.body).toEqual({ status: 'accepted' });
    expect(env.received).toHaveLength(1);
  });

  it('publishes the same payload again under a new delivery id', async () => {
    const body = JSON.stringify(pushPayload());
    const signature = await sign(SECRET, body);

    await post(env.backend.server, body, deliveryHeaders(signature));
    await post(env.backend.server, body, deliveryHeaders(signature));

    expect(env.received).toHaveLength(2);
    expect(env.received[0].metadata?.['x-github-delivery']).not.toBe(
      env.received[1].metadata?.['x-github-delivery'],
    );
  });

  it('does not let a refused request claim a delivery id', async () => {
    const body = JSON.stringify(pushPayload());
    const deliveryId = randomUUID();

    const forged = await post(
      env.backend.server,
      body,
      deliveryHeaders(await sign('forged', body), deliveryId),
    );
    const genuine = await post(
      env.backend.server,
      body,
      deliveryHeaders(await sign(SECRET, body), deliveryId),
    );

    expect(forged.status).toBe(403);
    expect(genuine.status).toBe(202);
    expect(env.received).toHaveLength(1);
  });

  it('answers a body that is not JSON with 400 and publishes nothing', async () => {
    const body = '{"ref": "refs/heads/main",';
    const res = await post(
      env.backend.server,
      body,
      deliveryHeaders(await sign(SECRET, body)),
    );

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'The body of a github event must be JSON',
      ),
    });
    expect(env.received).toEqual([]);
  });

  it('answers a form-encoded delivery with 415: GitHub must send application/json', async () => {
    const body = `payload=${encodeURIComponent(JSON.stringify(pushPayload()))}`;
    const res = await post(env.backend.server, body, {
      ...deliveryHeaders(await sign(SECRET, body)),
      'content-type': 'application/x-www-form-urlencoded',
    });

    expect(res.status).toBe(415);
    expect(env.received).toEqual([]);
  });

  it('routes other GitHub events to their own topic, not github.push', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.' });
    const res = await post(
      env.backend.server,
      body,
      deliveryHeaders(await sign(SECRET, body), randomUUID(), 'ping'),
    );

    expect(res.status).toBe(202);
    expect(env.received).toEqual([]);
  });
});

describe('GitHub webhooks without a webhook secret (local development)', () => {
  it('has no webhook route, so nothing unsigned is accepted', async () => {
    const { backend, received } = await startBackend({});
    try {
      const body = JSON.stringify(pushPayload());
      const res = await post(backend.server, body, deliveryHeaders(''));

      expect(res.status).toBe(404);
      expect(received).toEqual([]);
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start when events.http.topics would open an unsigned github ingress', async () => {
    await expect(
      startBackend({ http: { topics: ['github'] } }),
    ).rejects.toThrow(/no GitHub webhook secret is configured/);
  });
});

describe('without githubDeliveryDedupEventsServiceFactory', () => {
  it('refuses to start rather than publish redeliveries twice', async () => {
    await expect(
      startTestBackend({
        features: [
          eventsPlugin,
          eventsModuleGithubDedup,
          eventsServiceFactory,
          mockServices.rootConfig.factory({
            data: { events: { useEventBus: 'never' } },
          }),
        ],
      }),
    ).rejects.toThrow(/deduplication is not active/);
  });
});
