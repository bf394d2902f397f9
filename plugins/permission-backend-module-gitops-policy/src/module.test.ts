import path from 'node:path';
import request from 'supertest';
import {
  BackstageUserInfo,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { createTestDatabases } from '@gitops/test-utils';
import { permissionModuleGitopsPolicy } from './module';

const fixtures = path.resolve(__dirname, '__fixtures__');
const examples = path.resolve(__dirname, '../../../examples');
const databases = createTestDatabases();

// The signed-in users: a member of team-a, a user who owns nothing, a
// member of the platform group, and (filled in from the catalog) the local
// guest of examples/org.yaml.
const OWNER = 'user:default/owner-a';
const NOBODY = 'user:default/nobody';
const ADMIN = 'user:default/admin';
const GUEST = 'user:default/guest';
const directory = new Map<string, BackstageUserInfo>([
  [
    OWNER,
    {
      userEntityRef: OWNER,
      ownershipEntityRefs: [OWNER, 'group:default/team-a'],
    },
  ],
  [NOBODY, { userEntityRef: NOBODY, ownershipEntityRefs: [NOBODY] }],
  [
    ADMIN,
    {
      userEntityRef: ADMIN,
      ownershipEntityRefs: [ADMIN, 'group:default/platform'],
    },
  ],
]);

/** What the auth backend puts in a user's token, here from the directory. */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const info = directory.get(credentials.principal.userEntityRef);
      if (!info) throw new Error(`no such user in the test directory`);
      return info;
    },
  }),
});

/**
 * The mock auth service, except that a plugin calling another on a user's
 * behalf presents the user with itself as actor, as the real auth service
 * does: the permission backend answers a user calling it directly (no
 * actor) only about resources it names, so with the plain mock every
 * catalog list would fail.
 */
const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const issue = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const { principal } = options.onBehalfOf as any;
      if (principal.type !== 'user') return issue(options);
      return {
        token: mockCredentials.user.token(principal.userEntityRef, {
          actor: { subject: `plugin:${plugin.getId()}` },
        }),
      };
    };
    return auth;
  },
});

/** A database of its own for each plugin, as in production. */
function databasePerPlugin(id: TestDatabaseId) {
  return createServiceFactory({
    service: coreServices.database,
    deps: {},
    async factory() {
      const knex = await databases.init(id);
      return { getClient: async () => knex };
    },
  });
}

/**
 * The policy inside the real permission backend, deciding for the real
 * catalog, scaffolder and Kubernetes backends, on every supported database.
 */
describe.each(databases.eachSupportedId())(
  'the gitops policy in a backend on %p',
  id => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    beforeAll(async () => {
      backend = await startTestBackend({
        features: [
          permissionPlugin,
          permissionModuleGitopsPolicy,
          catalogPlugin,
          catalogModuleScaffolderEntityModel,
          scaffolderPlugin,
          kubernetesPlugin,
          authFactory,
          userInfoFactory,
          databasePerPlugin(id),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              gitops: {
                permissions: { platformGroup: 'group:default/platform' },
              },
              catalog: {
                rules: [
                  {
                    allow: [
                      'Component',
                      'Group',
                      'User',
                      'System',
                      'Template',
                      'Location',
                    ],
                  },
                ],
                locations: [
                  { type: 'file', target: `${examples}/org.yaml` },
                  { type: 'file', target: `${fixtures}/catalog.yaml` },
                ],
                processingInterval: { seconds: 1 },
              },
              // Tasks stay open: the test reads and cancels them, nothing runs.
              scaffolder: { concurrentTasksLimit: 0 },
              kubernetes: {
                serviceLocatorMethod: { type: 'multiTenant' },
                clusterLocatorMethods: [
                  {
                    type: 'config',
                    clusters: [
                      {
                        name: 'local',
                        // Nothing listens there: the proxy may only fail.
                        url: 'http://127.0.0.1:9',
                        authProvider: 'serviceAccount',
                        serviceAccountToken: 'not-a-token',
                      },
                    ],
                  },
                ],
              },
            },
          }),
        ],
      });
      for (const ref of [
        'component:default/service-a',
        'component:default/service-web',
        'template:default/hello',
      ]) {
        await entity(ref);
      }
      // The guest's token carries the groups of its User entity, as the
      // auth backend's catalog sign-in resolver builds it.
      const guest = await entity(GUEST, e =>
        (e.relations ?? []).some(r => r.type === 'memberOf'),
      );
      directory.set(GUEST, {
        userEntityRef: GUEST,
        ownershipEntityRefs: [
          stringifyEntityRef(guest),
          ...(guest.relations ?? [])
            .filter(r => r.type === 'memberOf')
            .map(r => r.targetRef),
        ],
      });
    }, 120_000);

    afterAll(() => backend?.stop());

    const as = (user: string) => ({
      Authorization: mockCredentials.user.header(user),
    });

    async function entity(
      ref: string,
      until: (e: Entity) => boolean = () => true,
    ): Promise<Entity> {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      let last = '';
      for (let i = 0; i < 240; i++) {
        const res = await request(backend.server)
          .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
          .set(as(ADMIN));
        if (res.status === 200 && until(res.body)) return res.body;
        last = `${res.status} ${JSON.stringify(res.body).slice(0, 500)}`;
        await new Promise(r => setTimeout(r, 250));
      }
      throw new Error(`${ref} never reached the expected state: ${last}`);
    }

    const deleteEntity = async (ref: string, user: string) => {
      const { metadata } = await entity(ref);
      return request(backend.server)
        .delete(`/api/catalog/entities/by-uid/${metadata.uid}`)
        .set(as(user));
    };

    it('lets every signed-in user read the catalog', async () => {
      for (const user of [OWNER, NOBODY]) {
        const res = await request(backend.server)
          .get('/api/catalog/entities/by-name/component/default/service-web')
          .set(as(user));
        expect(res.status).toBe(200);
      }
    });

    it("refuses to delete another team's entity; its owner deletes it", async () => {
      expect(
        (await deleteEntity('component:default/service-a', NOBODY)).status,
      ).toBe(403);
      expect(
        (await deleteEntity('component:default/service-web', OWNER)).status,
      ).toBe(403);
      expect(
        (await deleteEntity('component:default/service-a', OWNER)).status,
      ).toBe(204);
    });

    it('refreshes an entity for its owners and the platform group only', async () => {
      const refresh = (user: string) =>
        request(backend.server)
          .post('/api/catalog/refresh')
          .set(as(user))
          .send({ entityRef: 'component:default/service-web' });
      expect((await refresh(NOBODY)).status).toBe(403);
      expect((await refresh(OWNER)).status).toBe(403);
      expect((await refresh(ADMIN)).status).toBe(200);
    });

    it("lets the local guest of examples/org.yaml manage the example teams' entities", async () => {
      expect(directory.get(GUEST)?.ownershipEntityRefs).toEqual(
        expect.arrayContaining([
          'group:default/team-a',
          'group:default/team-web',
        ]),
      );
      expect(
        (await deleteEntity('component:default/service-web', GUEST)).status,
      ).toBe(204);
    });

    it('lets everyone register a location and only the platform group unregister one', async () => {
      const registered = await request(backend.server)
        .post('/api/catalog/locations')
        .set(as(OWNER))
        // Only stored here: nothing serves it, which does not matter.
        .send({ type: 'url', target: 'http://localhost:9/catalog-info.yaml' });
      expect(registered.status).toBe(201);
      const url = `/api/catalog/locations/${registered.body.location.id}`;
      expect(
        (await request(backend.server).delete(url).set(as(OWNER))).status,
      ).toBe(403);
      expect(
        (await request(backend.server).delete(url).set(as(ADMIN))).status,
      ).toBe(204);
    });

    it('shows and cancels a scaffolder task for its creator and the platform group only', async () => {
      const created = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set(as(OWNER))
        .send({ templateRef: 'template:default/hello', values: {} });
      expect(created.status).toBe(201);
      const task = `/api/scaffolder/v2/tasks/${created.body.id}`;

      const read = (user: string) =>
        request(backend.server).get(task).set(as(user));
      expect((await read(NOBODY)).status).toBe(403);
      expect((await read(OWNER)).status).toBe(200);
      expect((await read(ADMIN)).status).toBe(200);

      const list = async (user: string) =>
        (
          await request(backend.server)
            .get('/api/scaffolder/v2/tasks')
            .set(as(user))
        ).body.tasks.map((t: { id: string }) => t.id);
      expect(await list(NOBODY)).toEqual([]);
      expect(await list(OWNER)).toEqual([created.body.id]);

      const cancel = (user: string) =>
        request(backend.server).post(`${task}/cancel`).set(as(user));
      expect((await cancel(NOBODY)).status).toBe(403);
      expect((await cancel(OWNER)).status).toBe(200);
    });

    it("runs a dry-run's inline steps for the platform group only", async () => {
      const dryRun = (user: string) =>
        request(backend.server)
          .post('/api/scaffolder/v2/dry-run')
          .set(as(user))
          .send({
            template: {
              apiVersion: 'scaffolder.backstage.io/v1beta3',
              kind: 'Template',
              metadata: { name: 'inline' },
              spec: {
                type: 'service',
                steps: [
                  {
                    id: 'log',
                    name: 'Log',
                    action: 'debug:log',
                    input: { message: 'an inline step' },
                  },
                ],
              },
            },
            values: {},
            directoryContents: [],
          });
      for (const user of [NOBODY, OWNER, GUEST]) {
        expect((await dryRun(user)).status).toBe(403);
      }
      const platform = await dryRun(ADMIN);
      expect(platform.status).toBe(200);
      expect(JSON.stringify(platform.body.log)).toContain('an inline step');
    });

    it("opens Backstage's Kubernetes proxy to the platform group only", async () => {
      const proxy = (user: string) =>
        request(backend.server)
          .get('/api/kubernetes/proxy/api/v1/namespaces')
          .set(as(user))
          .set('Backstage-Kubernetes-Cluster', 'local');
      for (const user of [NOBODY, OWNER, GUEST]) {
        expect((await proxy(user)).status).toBe(403);
      }
      // Past the policy, the proxy only fails to reach the cluster.
      expect((await proxy(ADMIN)).status).toBeGreaterThanOrEqual(500);
    });
  },
);
