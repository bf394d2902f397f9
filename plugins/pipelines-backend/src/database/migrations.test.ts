import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases, testDatabaseIds } from '@gitops/test-utils';
import knexFactory from 'knex';
import { migrateStore, TABLES } from './migrations';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const postgres = testDatabaseIds().filter(id => id.startsWith('POSTGRES'));

/** Replicas of one backend start together on a fresh PostgreSQL database. */
describe.each(postgres)('migrateStore on %p', id => {
  it('brings the schema up once when several replicas start at the same time', async () => {
    for (let round = 0; round < 3; round++) {
      const first = await databases.init(id);
      const others = [1, 2, 3].map(() => knexFactory(first.client.config));
      try {
        await Promise.all(
          [first, ...others].map(knex =>
            migrateStore(mockServices.database({ knex })),
          ),
        );
        const done = await first('pipelines_knex_migrations').select('name');
        expect(done.map(r => r.name).sort()).toEqual([
          '20261202_01_runs',
          '20261202_02_log_encoding',
        ]);
        expect(await first.schema.hasColumn(TABLES.logs, 'encoding')).toBe(
          true,
        );
      } finally {
        await Promise.all(others.map(k => k.destroy()));
      }
    }
  });
});
