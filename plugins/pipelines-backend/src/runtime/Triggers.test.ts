import { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases } from '@gitops/test-utils';
import { migrateStore } from '../database/migrations';
import { RunStore } from '../database/RunStore';
import * as fixtures from '../__testUtils__/fixtures';
import { repositoryOfEntity, Triggers } from './Triggers';

const databases = createTestDatabases();
const REPO = 'http://localhost:7007/api/githost/team-a/svc';
const SHA = 'c'.repeat(40);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'svc',
    annotations: {
      'backstage.io/managed-by-location': `url:${REPO}/blob/master/catalog-info.yaml`,
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
};

const reader: UrlReaderService = {
  async readUrl(url: string) {
    const file = {
      [`${REPO}/blob/${SHA}/catalog-info.yaml`]:
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  owner: group:default/team-a\n  lifecycle: production\n',
      [`${REPO}/blob/${SHA}/build-info.yaml`]:
        'version: 2\ntemplate:\n  type: nodeService\n  nodeService:\n    parallelize: true\n',
    }[url];
    if (!file) throw new NotFoundError(url);
    return { buffer: async () => Buffer.from(file) };
  },
  async readTree(url: string) {
    throw new NotFoundError(url);
  },
  async search(url: string) {
    throw new NotFoundError(url);
  },
};

describe('Triggers', () => {
  async function setup() {
    const knex = await databases.init('SQLITE_3');
    await migrateStore(mockServices.database({ knex }));
    const store = new RunStore(knex);
    const created: string[] = [];
    const resolved: Array<[string, string | undefined]> = [];
    const triggers = new Triggers({
      store,
      catalog: catalogServiceMock({ entities: [entity] }),
      reader,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      instanceId: 'i',
      executorId: 'local',
      onRunsCreated: runs => created.push(...runs.map(r => r.id)),
      resolveRef: async (cloneUrl, ref) => {
        resolved.push([cloneUrl, ref]);
        return { ref: ref ?? 'master', sha: SHA, defaultBranch: 'master' };
      },
    });
    return { store, triggers, created, resolved };
  }

  it('starts a pipeline by hand at the default branch, as build-info.yaml defines it there', async () => {
    const { triggers, created, resolved, store } = await setup();
    const run = await triggers.startManual({
      entity,
      pipeline: 'Master build',
      actor: 'user:default/ada',
    });
    expect(resolved).toEqual([[`${REPO}.git`, undefined]]);
    expect(run).toMatchObject({
      status: 'queued',
      pipeline: 'Master build',
      trigger: {
        kind: 'manual',
        ref: 'master',
        sha: SHA,
        actor: 'user:default/ada',
      },
    });
    expect(created).toEqual([run.id]);
    const detail = (await store.getRun(run.id))!;
    // parallelize: true puts lint and test in parallel tasks of a Check stage.
    expect(detail.stages.map(s => s.name)).toEqual([
      'Check',
      'Build',
      'Deployment - production',
    ]);
    expect(detail.origin).toEqual({
      template: 'nodeService',
      options: { nodeVersion: 22, parallelize: true },
    });
  });

  it('names the pipelines there are when asked for one that does not exist', async () => {
    const { triggers } = await setup();
    await expect(
      triggers.startManual({ entity, pipeline: 'Nightly', actor: 'u' }),
    ).rejects.toThrow(
      /no pipeline named "Nightly" .*"Review build", "Master build"/,
    );
  });

  it('refuses to re-run a run that is still going, or one without a failed step', async () => {
    const { triggers, store } = await setup();
    const run = await triggers.startManual({
      entity,
      pipeline: 'Master build',
      actor: 'u',
    });
    await expect(
      triggers.rerun({ runId: run.id, fromFailed: false, actor: 'u' }),
    ).rejects.toThrow(/is still queued/);
    await store.claimQueuedRun('i');
    await store.finishRun(run.id, 'succeeded');
    await expect(
      triggers.rerun({ runId: run.id, fromFailed: true, actor: 'u' }),
    ).rejects.toThrow(/has no failed step/);
    const again = await triggers.rerun({
      runId: run.id,
      fromFailed: false,
      actor: 'u',
    });
    expect(again.trigger).toMatchObject({
      kind: 'rerun',
      rerunOf: run.id,
      sha: SHA,
    });
  });

  it('finds the repository of an entity from its location annotations', () => {
    expect(repositoryOfEntity(entity)).toEqual({
      htmlUrl: REPO,
      cloneUrl: `${REPO}.git`,
    });
    expect(
      repositoryOfEntity({
        ...entity,
        metadata: { name: 'x', annotations: {} },
      }),
    ).toBeUndefined();
  });
});

describe('Triggers under a burst of deliveries on SQLite', () => {
  it('lets the event loop serve other requests between the deliveries of a batch', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateStore(mockServices.database({ knex }));
    const store = new RunStore(knex);
    const created: string[] = [];
    const triggers = new Triggers({
      store,
      catalog: catalogServiceMock({ entities: [fixtures.entity] }),
      reader: fixtures.reader,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      instanceId: 'i',
      executorId: 'local',
      onRunsCreated: runs => created.push(...runs.map(r => r.id)),
      resolveRef: async () => {
        throw new Error('not used by pushes');
      },
    });
    for (let i = 0; i < 20; i++) {
      await triggers.record(fixtures.pushEvent(`burst-${i}`, fixtures.GOOD));
    }
    // SQLite answers synchronously: without yielding, the whole batch would
    // run before the event loop could accept one more request.
    let turns = 0;
    let done = false;
    const turn = () => {
      if (done) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    const handled = await triggers.processPending(20);
    done = true;
    expect(handled).toBe(20);
    expect(created).toHaveLength(20);
    expect(turns).toBeGreaterThanOrEqual(20);
  });
});
