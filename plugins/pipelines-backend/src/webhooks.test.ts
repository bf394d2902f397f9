import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { createTestDatabases } from '@gitops/test-utils';
import githubDedup from '@gitops/plugin-events-backend-module-github-dedup';
import type { RunPage } from '@gitops/plugin-pipelines-common';
import { pipelinesExecutorsExtensionPoint } from '@gitops/plugin-pipelines-node';
import { sign } from '@octokit/webhooks-methods';
import request from 'supertest';
import { pipelinesPlugin } from './plugin';
import { entity, GOOD, pushEvent, reader } from './__testUtils__/fixtures';

jest.setTimeout(60_000);

const SECRET = 'webhook-secret-for-tests';
const databases = createTestDatabases();

/** The webhook ingress (signature check) and router of GitHub's events module. */
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

const succeedingExecutor = createBackendModule({
  pluginId: 'pipelines',
  moduleId: 'test-executor',
  register(env) {
    env.registerInit({
      deps: { executors: pipelinesExecutorsExtensionPoint },
      async init({ executors }) {
        executors.addExecutor({
          id: 'test',
          async execute(req, reporter) {
            for (const step of req.steps) {
              await reporter.stepStarted(step.id);
              await reporter.stepFinished(step.id, { status: 'succeeded' });
            }
            return { status: 'succeeded' };
          },
        });
      },
    });
  },
});

describe('GitHub webhooks into runs', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const auth = mockCredentials.user.header('user:default/ada');

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        eventsPlugin,
        ...githubModuleFeatures(),
        githubDedup,
        pipelinesPlugin,
        succeedingExecutor,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({
          data: {
            events: {
              useEventBus: 'never',
              modules: { github: { webhookSecret: SECRET } },
            },
            pipelines: {
              executor: 'test',
              worker: { pollSeconds: 0.1 },
            },
          },
        }),
        catalogServiceMock.factory({ entities: [entity] }),
        createServiceFactory({
          service: coreServices.urlReader,
          deps: {},
          factory: () => reader,
        }),
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({ async publish() {} }),
        }),
      ],
    });
  });
  afterAll(() => backend.stop());

  const deliver = async (
    deliveryId: string,
    signature?: (body: string) => Promise<string>,
  ) => {
    const event = pushEvent(deliveryId, GOOD);
    const body = JSON.stringify(event.eventPayload);
    return request(backend.server)
      .post('/api/events/http/github')
      .set({
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': deliveryId,
        ...(signature ? { 'x-hub-signature-256': await signature(body) } : {}),
      })
      .send(body);
  };

  const runs = async () =>
    (
      await request(backend.server)
        .get('/api/pipelines/entities/component/default/svc/runs')
        .set('Authorization', auth)
    ).body as RunPage;

  const settle = async (expected: number) => {
    for (let i = 0; i < 100; i++) {
      const page = await runs();
      if (
        page.totalCount >= expected &&
        page.items.every(r => r.status === 'succeeded')
      ) {
        return page;
      }
      await new Promise(r => setTimeout(r, 100));
    }
    return runs();
  };

  it('refuses a wrong or missing signature and stores nothing', async () => {
    const wrong = await deliver('d-wrong', body =>
      sign('not-the-secret', body),
    );
    expect(wrong.status).toBe(403);
    const missing = await deliver('d-missing');
    expect(missing.status).toBe(403);
    await new Promise(r => setTimeout(r, 500));
    expect((await runs()).totalCount).toBe(0);
  });

  it('runs a signed push once, even when GitHub delivers it twice', async () => {
    const first = await deliver('d-1', body => sign(SECRET, body));
    const again = await deliver('d-1', body => sign(SECRET, body));
    expect([first.status, again.status]).toEqual([202, 202]);
    const page = await settle(1);
    expect(page.totalCount).toBe(1);
    expect(page.items[0]).toMatchObject({
      status: 'succeeded',
      pipeline: 'Master build',
      trigger: { kind: 'push', deliveryId: 'd-1', sha: GOOD },
    });
  });
});
