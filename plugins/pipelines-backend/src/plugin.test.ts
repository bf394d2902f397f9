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
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EventParams,
  EventsServiceSubscribeOptions,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestDatabases } from '@gitops/test-utils';
import type { RunDetail, RunPage } from '@gitops/plugin-pipelines-common';
import {
  ExecutionRequest,
  pipelinesExecutorsExtensionPoint,
  RunReporter,
} from '@gitops/plugin-pipelines-node';
import http from 'node:http';
import request from 'supertest';
import { pipelinesPlugin } from './plugin';
import {
  BROKEN,
  entity,
  GOOD,
  pushEvent,
  reader,
  REPO,
} from './__testUtils__/fixtures';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Test executor: the test decides each step's fate by its args. */
const executed: ExecutionRequest[] = [];
let release: (() => void) | undefined;
/** Holds the first step mid-output until the test opens the gate. */
let hold: { reached(): void; gate: Promise<void> } | undefined;
async function scripted(run: ExecutionRequest, reporter: RunReporter) {
  executed.push(run);
  for (const step of run.steps) {
    if (step.reuse) {
      await reporter.stepFinished(step.id, {
        status: 'skipped',
        outputs: step.reuse.outputs,
      });
      continue;
    }
    await reporter.stepStarted(step.id);
    await reporter.log(
      step.id,
      `\u001b[32m$ npm ${step.step.args?.join(' ')}\u001b[0m\n`,
    );
    const held = hold;
    if (held) {
      hold = undefined;
      await reporter.log(step.id, 'before the gate\n');
      held.reached();
      await held.gate;
      await reporter.log(step.id, 'after the gate\n');
    }
    if (step.step.args?.[0] === 'test' && run.source.sha === GOOD && !release) {
      await reporter.log(step.id, 'not ok 1 - greets by name\n');
      await reporter.stepFinished(step.id, {
        status: 'failed',
        exitCode: 1,
        message: 'exited with code 1',
        tests: {
          passed: 2,
          failed: 1,
          skipped: 0,
          failures: [
            {
              suite: 'server',
              name: 'greets by name',
              message: 'expected Ada',
            },
          ],
        },
      });
      return 'failed' as const;
    }
    await reporter.stepFinished(step.id, { status: 'succeeded', exitCode: 0 });
  }
  return 'succeeded' as const;
}

const scriptedExecutorModule = createBackendModule({
  pluginId: 'pipelines',
  moduleId: 'scripted-executor',
  register(env) {
    env.registerInit({
      deps: { executors: pipelinesExecutorsExtensionPoint },
      async init({ executors }) {
        executors.addExecutor({
          id: 'scripted',
          async execute(req, reporter) {
            return { status: await scripted(req, reporter) };
          },
        });
      },
    });
  },
});

async function startPipelines(options: { denyTrigger?: boolean } = {}) {
  const subscribers: EventsServiceSubscribeOptions[] = [];
  const signals: Array<{ channel: string; message: unknown }> = [];
  const backend = await startTestBackend({
    features: [
      pipelinesPlugin,
      scriptedExecutorModule,
      mockServices.database.factory({ knex: await databases.init('SQLITE_3') }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          pipelines: {
            executor: 'scripted',
            worker: {
              pollSeconds: 0.1,
              heartbeatSeconds: 0.5,
              staleSeconds: 5,
            },
          },
        },
      }),
      // Requests without a token are anonymous (the mock's default is a user).
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalogServiceMock.factory({ entities: [entity] }),
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => reader,
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => ({
          async publish(params: EventParams) {
            for (const s of subscribers) {
              if (s.topics.includes(params.topic)) await s.onEvent(params);
            }
          },
          async subscribe(s: EventsServiceSubscribeOptions) {
            subscribers.push(s);
          },
        }),
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          async publish(signal: { channel: string; message: unknown }) {
            signals.push({ channel: signal.channel, message: signal.message });
          },
        }),
      }),
      ...(options.denyTrigger
        ? [
            createServiceFactory({
              service: coreServices.permissions,
              deps: {},
              factory: () =>
                ({
                  async authorize(
                    requests: Array<{ permission: { name: string } }>,
                  ) {
                    return requests.map(r => ({
                      result:
                        r.permission.name === 'pipelines.run.trigger'
                          ? AuthorizeResult.DENY
                          : AuthorizeResult.ALLOW,
                    }));
                  },
                  async authorizeConditional() {
                    throw new Error('not used');
                  },
                } as any),
            }),
          ]
        : []),
    ],
  });
  const deliver = async (event: EventParams) => {
    for (const s of subscribers) {
      if (s.topics.includes(event.topic)) await s.onEvent(event);
    }
  };
  const api = (path: string) => `/api/pipelines${path}`;
  const auth = mockCredentials.user.header('user:default/ada');
  const get = async <T>(path: string): Promise<T> => {
    const res = await request(backend.server)
      .get(api(path))
      .set('Authorization', auth);
    if (res.status !== 200)
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const waitForRun = async (
    predicate: (run: RunDetail) => boolean,
  ): Promise<RunDetail> => {
    for (let i = 0; i < 200; i++) {
      const page = await get<RunPage>('/entities/component/default/svc/runs');
      for (const item of page.items) {
        const run = await get<RunDetail>(`/runs/${item.id}`);
        if (predicate(run)) return run;
      }
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error('no such run');
  };
  return { backend, deliver, get, api, auth, signals, waitForRun };
}

describe('pipelines plugin', () => {
  afterEach(() => {
    executed.length = 0;
    release = undefined;
    hold = undefined;
  });

  it('runs the master build of a push once, however often the delivery comes, and shows it over the API', async () => {
    const env = await startPipelines();
    await env.deliver(pushEvent('delivery-1', GOOD));
    await env.deliver(pushEvent('delivery-1', GOOD));
    const run = await env.waitForRun(r => r.status === 'failed');
    expect(run).toMatchObject({
      pipeline: 'Master build',
      entityRef: 'component:default/svc',
      trigger: {
        kind: 'push',
        ref: 'main',
        sha: GOOD,
        message: 'Greet by name',
        author: { name: 'Ada Lovelace' },
        deliveryId: 'delivery-1',
      },
      origin: { template: 'nodeService', options: { nodeVersion: 22 } },
      tests: { passed: 2, failed: 1, failures: [{ name: 'greets by name' }] },
    });
    const steps = run.stages.flatMap(s => s.tasks.flatMap(t => t.steps));
    const failed = steps.find(s => s.status === 'failed')!;
    expect(failed.args).toEqual(['test']);
    expect(steps.filter(s => s.status === 'skipped').length).toBeGreaterThan(0);
    const log = await env.get<{ text: string; complete: boolean }>(
      `/runs/${run.id}/steps/${failed.id}/log`,
    );
    expect(log.text).toContain('not ok 1 - greets by name');
    expect(log.complete).toBe(true);
    // The follow stream sends what is stored, then ends: the step is over.
    const follow = await request(env.backend.server)
      .get(env.api(`/runs/${run.id}/steps/${failed.id}/log/follow?offset=0`))
      .set('Authorization', env.auth);
    expect(follow.headers['content-type']).toMatch(/text\/event-stream/);
    const events = follow.text.split('\n\n').filter(Boolean);
    expect(events[0]).toMatch(/^event: log\ndata: /);
    expect(JSON.parse(events[0].split('data: ')[1]).text).toContain(
      'greets by name',
    );
    expect(events[events.length - 1]).toBe('event: end\ndata: {}');
    // One run: the redelivery created nothing.
    const page = await env.get<RunPage>('/entities/component/default/svc/runs');
    expect(page.totalCount).toBe(1);
    expect(executed).toHaveLength(1);
    expect(executed[0].source).toMatchObject({
      cloneUrl: `${REPO}.git`,
      sha: GOOD,
      ref: 'main',
    });
    // The browser heard of it.
    expect(env.signals).toContainEqual({
      channel: 'pipelines:component:default/svc',
      message: expect.objectContaining({ runId: run.id, status: 'failed' }),
    });
    await env.backend.stop();
  });

  it("streams a running step's output to its follower as it is printed, then ends", async () => {
    const env = await startPipelines();
    let reached!: () => void;
    let open!: () => void;
    const atGate = new Promise<void>(r => {
      reached = r;
    });
    hold = { reached, gate: new Promise<void>(r => (open = r)) };
    await env.deliver(pushEvent('delivery-live', GOOD));
    await atGate;
    const run = await env.waitForRun(r => r.status === 'running');
    const step = run.stages
      .flatMap(s => s.tasks.flatMap(t => t.steps))
      .find(s => s.status === 'running')!;
    // The gate opens only once the follower has seen the line printed
    // before it: a follower that got output only at the step's end would
    // never see it, and the run would never end.
    const { port } = env.backend.server.address() as { port: number };
    const events = await new Promise<Array<Record<string, any>>>(
      (resolve, reject) => {
        const seen: Array<Record<string, any>> = [];
        const req = http.get(
          {
            port,
            path: env.api(`/runs/${run.id}/steps/${step.id}/log/follow`),
            headers: { authorization: env.auth },
          },
          res => {
            let buffer = '';
            res.setEncoding('utf8');
            res.on('data', chunk => {
              buffer += chunk;
              for (
                let at = buffer.indexOf('\n\n');
                at >= 0;
                at = buffer.indexOf('\n\n')
              ) {
                const event = buffer.slice(0, at);
                buffer = buffer.slice(at + 2);
                const data = JSON.parse(event.split('data: ')[1]);
                seen.push({ event: event.split('\n')[0], ...data });
                if (data.text?.includes('before the gate')) open();
              }
            });
            res.on('end', () => resolve(seen));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
      },
    );
    const logs = events.filter(e => e.event === 'event: log');
    const text = logs.map(e => e.text).join('');
    const stored = await env.get<{ text: string }>(
      `/runs/${run.id}/steps/${step.id}/log`,
    );
    expect(text).toBe(stored.text);
    expect(text).toMatch(/\$ npm .*\nbefore the gate\nafter the gate\n$/);
    // Each event continues the last; the last says the log is complete.
    for (let i = 1; i < logs.length; i++) {
      expect(logs[i].offset).toBe(logs[i - 1].nextOffset);
    }
    expect(logs[logs.length - 1]).toMatchObject({ complete: true });
    expect(events[events.length - 1].event).toBe('event: end');
    await env.waitForRun(r => r.id === run.id && r.status !== 'running');
    await env.backend.stop();
  });

  it('re-runs from the failed step, keeping the steps of the stages before', async () => {
    const env = await startPipelines();
    await env.deliver(pushEvent('delivery-2', GOOD));
    const failed = await env.waitForRun(r => r.status === 'failed');
    release = () => {};
    const res = await request(env.backend.server)
      .post(env.api(`/runs/${failed.id}/rerun`))
      .set('Authorization', env.auth)
      .send({ fromFailed: true });
    expect(res.status).toBe(201);
    expect(res.body.trigger).toMatchObject({
      kind: 'rerun',
      rerunOf: failed.id,
      fromFailed: true,
      actor: 'user:default/ada',
    });
    const rerun = await env.waitForRun(
      r => r.id === res.body.id && r.status === 'succeeded',
    );
    expect(rerun.trigger.sha).toBe(GOOD);
    expect(executed).toHaveLength(2);
    await env.backend.stop();
  });

  it('turns a build-info.yaml that is invalid at the commit into a failed run with positioned problems', async () => {
    const env = await startPipelines();
    await env.deliver(pushEvent('delivery-3', BROKEN));
    const run = await env.waitForRun(r => r.status === 'failed');
    expect(run.pipeline).toBe('build-info.yaml');
    expect(run.message).toMatch(/build-info.yaml is not valid at bbbbbbb/);
    expect(run.problems?.[0]).toMatchObject({
      file: 'build-info.yaml',
      line: 5,
    });
    expect(run.problems?.[0].message).toMatch(/20, 22, 24/);
    expect(executed).toHaveLength(0);
    await env.backend.stop();
  });

  it('refuses an event without a delivery id, recording nothing', async () => {
    const env = await startPipelines();
    const event = pushEvent('x', GOOD);
    await env.deliver({ ...event, metadata: { 'x-github-event': 'push' } });
    await new Promise(r => setTimeout(r, 500));
    const page = await env.get<RunPage>('/entities/component/default/svc/runs');
    expect(page.totalCount).toBe(0);
    await env.backend.stop();
  });

  it('answers 403 to trigger actions without pipelines.run.trigger, and still lets the user read', async () => {
    const env = await startPipelines({ denyTrigger: true });
    await env.deliver(pushEvent('delivery-4', GOOD));
    const run = await env.waitForRun(r => r.status === 'failed');
    for (const [path, body] of [
      [`/runs/${run.id}/rerun`, {}],
      [`/runs/${run.id}/cancel`, undefined],
      ['/entities/component/default/svc/runs', { pipeline: 'Master build' }],
    ] as const) {
      const res = await request(env.backend.server)
        .post(env.api(path))
        .set('Authorization', env.auth)
        .send(body);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /pipelines.run.trigger is not allowed on component:default\/svc/,
      );
    }
    expect(executed).toHaveLength(1);
    await env.backend.stop();
  });

  it('answers bad input with 400 naming the field, and unknown runs with 404', async () => {
    const env = await startPipelines();
    const bad = await request(env.backend.server)
      .get(env.api('/entities/component/default/svc/runs?limit=1000'))
      .set('Authorization', env.auth);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/limit/);
    const missing = await request(env.backend.server)
      .get(env.api(`/runs/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`))
      .set('Authorization', env.auth);
    expect(missing.status).toBe(404);
    const unauthenticated = await request(env.backend.server).get(
      env.api('/entities/component/default/svc/runs'),
    );
    expect(unauthenticated.status).toBe(401);
    await env.backend.stop();
  });
});
