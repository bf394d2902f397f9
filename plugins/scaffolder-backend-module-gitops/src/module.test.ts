import request from 'supertest';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderModuleGitops } from './module';

// The scaffolder's database. Backstage's own database service never closes
// SQLite connections, even on stop(): its pool's timer would keep the Jest
// worker alive. TestDatabases closes this one after the tests.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('scaffolderModuleGitops', () => {
  it('registers the gitops actions with the scaffolder', async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGitops,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
      ],
    });
    try {
      const res = await request(backend.server)
        .get('/api/scaffolder/v2/actions')
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      const ids = res.body.map((a: { id: string }) => a.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'gitops:descriptors:validate',
          'gitops:pipeline:expand',
        ]),
      );
      const expand = res.body.find(
        (a: { id: string }) => a.id === 'gitops:pipeline:expand',
      );
      // The zod input schema reaches the form as JSON schema with descriptions.
      expect(expand.schema.input.properties.writeAs.description).toMatch(
        /GitHub Actions/,
      );
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
