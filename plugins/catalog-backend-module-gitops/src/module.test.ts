import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { createTestDatabases } from '@gitops/test-utils';
import {
  analysisTimeoutFromConfig,
  analysisWorkersFromConfig,
  catalogModuleGitops,
} from './module';
import { defaultWorkerCount } from './analysisPool';

const examples = path.resolve(__dirname, '../../../examples');
const databases = createTestDatabases();

/** The module inside the real catalog, on every supported database. */
describe.each(databases.eachSupportedId())('catalogModuleGitops on %p', id => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let repo: string;

  beforeAll(async () => {
    // A second service whose descriptors will break after a good first run.
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-module-'));
    fs.cpSync(path.join(examples, 'example-app'), repo, { recursive: true });
    const info = path.join(repo, 'catalog-info.yaml');
    fs.writeFileSync(
      info,
      fs
        .readFileSync(info, 'utf8')
        .replace(/example-app/g, 'artist-search')
        .replace("providesApis: ['artist-search-api']", ''),
    );
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleGitops,
        mockServices.database.factory({ knex: await databases.init(id) }),
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
                { type: 'file', target: info },
              ],
              processingInterval: { seconds: 1 },
              // The descriptors are read and parsed on worker threads.
              gitops: { analysisWorkers: 2 },
            },
          },
        }),
      ],
    });
  }, 60_000);

  afterAll(() => backend?.stop());

  async function entity(ref: string, until: (e: any) => boolean) {
    const [kind, name] = ref.split(':');
    for (let i = 0; i < 160; i++) {
      const res = await request(backend.server)
        .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
        .set('Authorization', mockCredentials.user.header());
      if (res.status === 200 && until(res.body)) return res.body;
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error(`${ref} never reached the expected state`);
  }

  it('gives example-app its annotations, its database Resource and the dependsOn', async () => {
    const app = await entity('component:example-app', e =>
      e.relations?.some(
        (r: any) => r.targetRef === 'resource:default/example-app-db',
      ),
    );
    expect(app.metadata.annotations['gitops.io/build-template']).toBe(
      'javaBackend',
    );
    expect(app.relations).toContainEqual({
      type: 'dependsOn',
      targetRef: 'resource:default/example-app-db',
    });
    const db = await entity(
      'resource:example-app-db',
      e => !!e.relations?.length,
    );
    expect(db.spec).toMatchObject({
      type: 'database',
      owner: 'team-a',
      system: 'metadata-system',
    });
    expect(db.relations).toContainEqual({
      type: 'ownedBy',
      targetRef: 'group:default/team-a',
    });
  }, 60_000);

  it('keeps the last good data of a component whose descriptors break, with the error', async () => {
    await entity(
      'component:artist-search',
      e => !!e.metadata.annotations?.['gitops.io/dashboards'],
    );
    fs.writeFileSync(
      path.join(repo, 'build-info.yaml'),
      'version: 2\ntemplate:\n  type: [oops\n',
    );
    const broken = await entity('component:artist-search', e =>
      (e.status?.items ?? []).some((i: any) =>
        /gitops: build-info\.yaml:4:1/.test(i.message),
      ),
    );
    expect(broken.metadata.annotations['gitops.io/build-template']).toBe(
      'javaBackend',
    );
    // The other component is untouched.
    const app = await entity('component:example-app', () => true);
    expect(app.status?.items ?? []).toEqual([]);
  }, 60_000);
});

// Checked without starting a backend: a backend whose start fails leaves
// its HTTP server and database behind for the rest of the test process.
describe('catalogModuleGitops configuration', () => {
  const workers = (gitops?: object) =>
    analysisWorkersFromConfig(
      mockServices.rootConfig({ data: gitops ? { catalog: { gitops } } : {} }),
    );

  it.each([-1, 1.5, 65])(
    'refuses catalog.gitops.analysisWorkers: %p, which stops the backend',
    analysisWorkers => {
      expect(() => workers({ analysisWorkers })).toThrow(
        `catalog.gitops.analysisWorkers must be a whole number from 0 to 64, got ${analysisWorkers}`,
      );
    },
  );

  it('refuses a value that is not a number, naming the key', () => {
    expect(() => workers({ analysisWorkers: 'four' })).toThrow(
      /catalog\.gitops\.analysisWorkers/,
    );
  });

  it('takes 0 (analysis on the catalog thread) to 64, and has a default', () => {
    expect(workers({ analysisWorkers: 0 })).toBe(0);
    expect(workers({ analysisWorkers: 64 })).toBe(64);
    expect(workers()).toBe(defaultWorkerCount());
  });

  const timeout = (analysisTimeout?: unknown) =>
    analysisTimeoutFromConfig(
      mockServices.rootConfig({
        data:
          analysisTimeout === undefined
            ? {}
            : { catalog: { gitops: { analysisTimeout } } },
      }),
    );

  it.each(['0s', '5', '1.5s', '2h', 'soon'])(
    'refuses catalog.gitops.analysisTimeout: %p, which stops the backend',
    analysisTimeout => {
      expect(() => timeout(analysisTimeout)).toThrow(
        `catalog.gitops.analysisTimeout must be a duration from 1s to 1h, such as 5s or 1m, got "${analysisTimeout}"`,
      );
    },
  );

  it('refuses a timeout that is not a string, naming the key', () => {
    expect(() => timeout(5)).toThrow(/catalog\.gitops\.analysisTimeout/);
  });

  it('takes a timeout from 1s to 1h, and has a default of 5s', () => {
    expect(timeout('1s').seconds).toBe(1);
    expect(timeout('1h').seconds).toBe(3600);
    expect(timeout('90s').seconds).toBe(90);
    expect(timeout().seconds).toBe(5);
  });
});
