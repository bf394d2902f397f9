import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { createTestDatabases } from '@gitops/test-utils';

const examples = path.resolve(__dirname, '../../../examples');
const databases = createTestDatabases();

/**
 * The example services load into a real catalog on every database the suite
 * supports, with the relations the rest of the suite relies on.
 */
describe.each(databases.eachSupportedId())('example catalog on %p', id => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const knex = await databases.init(id);
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: ['Component', 'System', 'API', 'Resource', 'Location'],
                },
              ],
              locations: [
                {
                  type: 'file',
                  target: `${examples}/example-app/catalog-info.yaml`,
                },
                {
                  type: 'file',
                  target: `${examples}/www-artist/catalog-info.yaml`,
                },
                {
                  type: 'file',
                  target: `${examples}/org.yaml`,
                  rules: [{ allow: ['User', 'Group', 'System'] }],
                },
              ],
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  }, 60_000);

  afterAll(() => stop?.());

  async function entity(ref: string) {
    const [kind, name] = ref.split(':');
    for (let i = 0; i < 120; i++) {
      const res = await request(server)
        .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
        .set('Authorization', mockCredentials.user.header());
      if (res.status === 200 && res.body.relations?.length) return res.body;
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error(`${ref} never appeared in the catalog`);
  }

  it('ingests example-app with its owner, system, API and tier', async () => {
    const app = await entity('component:example-app');
    expect(app.metadata.annotations['spotify.com/service-tier']).toBe('4');
    const targets = app.relations
      .map(
        (r: { type: string; targetRef: string }) => `${r.type} ${r.targetRef}`,
      )
      .sort();
    expect(targets).toEqual(
      expect.arrayContaining([
        'ownedBy group:default/team-a',
        'partOf system:default/metadata-system',
        'providesApi api:default/example-app-api',
        'dependsOn resource:default/example-app-db',
      ]),
    );
  }, 60_000);

  it("records www-artist as the consumer of example-app's API", async () => {
    const api = await entity('api:example-app-api');
    expect(
      api.relations
        .filter((r: { type: string }) => r.type === 'apiConsumedBy')
        .map((r: { targetRef: string }) => r.targetRef),
    ).toEqual(['component:default/www-artist']);
  }, 60_000);

  it('answers unauthenticated requests with 401', async () => {
    const res = await request(server)
      .get('/api/catalog/entities/by-name/component/default/example-app')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
