import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { EventParams } from '@backstage/plugin-events-node';
import {
  GitRepositoryStore,
  GithostUrls,
  ZERO_SHA,
} from '@gitops/plugin-githost-node';
import {
  cleanupTempDirs,
  createTestDatabases,
  tempDir,
} from '@gitops/test-utils';
import { PushEventLog } from './PushEventLog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const author = { name: 'Ada', email: 'ada@example.com' };

afterAll(() => cleanupTempDirs());

describe.each(databases.eachSupportedId())('PushEventLog on %p', id => {
  async function setup() {
    const root = path.join(tempDir(), 'git');
    const store = new GitRepositoryStore({ root });
    await store.create('team-a', 'svc');
    const source = tempDir();
    fs.writeFileSync(path.join(source, 'a.txt'), 'a\n');
    const update = await store.commitDirectory('team-a', 'svc', {
      sourceDir: source,
      branch: 'master',
      message: 'first',
      author,
    });
    const knex = await databases.init(id);
    const database = mockServices.database({ knex });
    const githost = {
      store,
      urls: new GithostUrls('http://localhost:7007/api/githost'),
    };
    /** A backend process: its own log over the shared database. */
    const start = async (publish: (e: EventParams) => Promise<void>) =>
      PushEventLog.create({
        database,
        githost,
        events: { publish },
        logger: mockServices.logger.mock(),
      });
    return { store, update, knex, start };
  }

  it('publishes after a restart what was recorded but not published, with the same delivery id', async () => {
    const { update, knex, start } = await setup();
    // First process: the push is recorded and accepted, then the process
    // dies before publishing (publish never succeeds there).
    const first = await start(async () => {
      throw new Error('killed before publishing');
    });
    const ids = await first.begin({
      owner: 'team-a',
      name: 'svc',
      updates: [update],
      pusher: { name: 'anonymous' },
      refsBefore: {},
    });
    await first.settle(ids, { 'refs/heads/master': update.after });
    const [recorded] = await knex('githost_push_events').select();
    expect(recorded).toMatchObject({ state: 'accepted', after: update.after });
    await first.publishAccepted();
    expect((await knex('githost_push_events').select('state'))[0].state).toBe(
      'accepted',
    );

    // Restart: the event goes out, once, with the recorded delivery id.
    const published: EventParams[] = [];
    const second = await start(async e => {
      published.push(e);
    });
    await second.recover();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      topic: 'github.push',
      metadata: { 'x-github-delivery': recorded.delivery_id },
      eventPayload: {
        ref: 'refs/heads/master',
        before: ZERO_SHA,
        after: update.after,
        created: true,
      },
    });
    await second.recover();
    expect(published).toHaveLength(1);
  });

  it('settles updates git was running when the backend died from the refs on disk', async () => {
    const { update, store, start } = await setup();
    const first = await start(async () => {});
    // Recorded before git ran; the backend died while git was running.
    await first.begin({
      owner: 'team-a',
      name: 'svc',
      updates: [
        update, // git completed it: master is at update.after on disk
        { ref: 'refs/heads/never', before: ZERO_SHA, after: update.after },
      ],
      pusher: { name: 'anonymous' },
      refsBefore: {},
    });
    expect(await store.listRefs('team-a', 'svc')).toEqual({
      'refs/heads/master': update.after,
    });
    const published: EventParams[] = [];
    const second = await start(async e => {
      published.push(e);
    });
    await second.recover();
    expect(published.map(e => (e.eventPayload as { ref: string }).ref)).toEqual(
      ['refs/heads/master'],
    );
  });
});
