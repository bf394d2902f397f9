import fs from 'node:fs';
import path from 'node:path';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { expandRepositoryPipeline } from '../pipeline';
import { loadRepository } from '../load';
import {
  catalogInfoUrlAtCommit,
  expandPipelineAtCommit,
  readDescriptorsAtCommit,
} from './atCommit';

const exampleApp = path.resolve(__dirname, '../../../../examples/example-app');
const GITHOST_REPO = 'http://localhost:7007/api/githost/team-a/example-app';
const SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';

/**
 * A repository at one commit, served as the UrlReader contract says
 * (NotFoundError for what is not there), recording every URL asked for.
 */
class CommitReader implements UrlReaderService {
  readonly requested: string[] = [];
  readonly files = new Map<string, string>();

  constructor(readonly base: string, dir = exampleApp) {
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(dir, rel), {
        withFileTypes: true,
      })) {
        const file = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(file);
        else
          this.files.set(file, fs.readFileSync(path.join(dir, file), 'utf8'));
      }
    };
    walk('');
  }

  async readUrl(url: string) {
    this.requested.push(url);
    const prefix = `${this.base}/blob/${SHA}/`;
    const text = url.startsWith(prefix)
      ? this.files.get(url.slice(prefix.length))
      : undefined;
    if (text === undefined) throw new NotFoundError(`${url} not found`);
    return { buffer: async () => Buffer.from(text) };
  }

  async readTree(url: string) {
    this.requested.push(url);
    const prefix = `${this.base}/tree/${SHA}/`;
    if (!url.startsWith(prefix)) throw new NotFoundError(`${url} not found`);
    const folder = `${url.slice(prefix.length)}/`;
    const files = [...this.files]
      .filter(([f]) => f.startsWith(folder))
      .map(([f, text]) => ({
        path: f.slice(folder.length),
        content: async () => Buffer.from(text),
      }));
    if (files.length === 0) throw new NotFoundError(`${url} not found`);
    return {
      files: async () => files,
      archive: async () => {
        throw new Error('not used');
      },
      dir: async () => {
        throw new Error('not used');
      },
      etag: 'tree',
    };
  }

  async search(): Promise<never> {
    throw new Error('not used');
  }
}

/** example-app as the catalog holds it after registration from githost. */
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'example-app',
    namespace: 'default',
    annotations: {
      'spotify.com/service-tier': '4',
      'backstage.io/managed-by-location': `url:${GITHOST_REPO}/blob/master/catalog-info.yaml`,
      'backstage.io/managed-by-origin-location': `url:${GITHOST_REPO}/blob/master/catalog-info.yaml`,
      'backstage.io/source-location': `url:${GITHOST_REPO}/blob/master/`,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'team-a',
    system: 'metadata-system',
    dependsOn: ['resource:example-app-db'],
    providesApis: ['example-app-api'],
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/team-a' },
    { type: 'partOf', targetRef: 'system:default/metadata-system' },
    { type: 'dependsOn', targetRef: 'resource:default/example-app-db' },
    // The catalog module's relation to the infrastructure in kubernetes/.
    {
      type: 'dependsOn',
      targetRef: 'resource:default/example-app-db.iam-user-auth',
    },
    { type: 'providesApi', targetRef: 'api:default/example-app-api' },
  ],
};
const related: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'example-app-db',
      namespace: 'default',
      annotations: { 'gitops.io/database-engine': 'POSTGRES_14' },
    },
    spec: { type: 'database', owner: 'team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'example-app-db.iam-user-auth', namespace: 'default' },
    spec: { type: 'iam-policy', owner: 'team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'example-app-api', namespace: 'default' },
    spec: { type: 'grpc', owner: 'team-a', lifecycle: 'production' },
    relations: [
      { type: 'apiConsumedBy', targetRef: 'component:default/www-artist' },
    ],
  },
];

describe('catalogInfoUrlAtCommit', () => {
  it('replaces the ref of the managed-by location with the commit', () => {
    expect(catalogInfoUrlAtCommit(entity, SHA)).toEqual({
      ok: true,
      url: `${GITHOST_REPO}/blob/${SHA}/catalog-info.yaml`,
    });
  });

  it('reads catalog-info.yaml in the source folder of a GitHub monorepo', () => {
    const web: Entity = {
      ...entity,
      metadata: {
        name: 'web',
        annotations: {
          'backstage.io/source-location':
            'url:https://github.com/Octo-Org/example-app/tree/release/2026/services/web/',
        },
      },
    };
    // A branch with a '/' spans two segments: only a known name says so.
    expect(
      catalogInfoUrlAtCommit(web, SHA, { knownRefs: ['main', 'release/2026'] }),
    ).toEqual({
      ok: true,
      url: `https://github.com/Octo-Org/example-app/blob/${SHA}/services/web/catalog-info.yaml`,
    });
    expect(catalogInfoUrlAtCommit(web, SHA)).toEqual({
      ok: true,
      url: `https://github.com/Octo-Org/example-app/blob/${SHA}/2026/services/web/catalog-info.yaml`,
    });
  });

  it('takes the location in the repository the commit belongs to', () => {
    const listed: Entity = {
      ...entity,
      metadata: {
        name: 'listed',
        annotations: {
          'backstage.io/managed-by-location':
            'url:https://github.com/Octo-Org/catalog/blob/main/listed.yaml',
          'backstage.io/source-location':
            'url:https://github.com/Octo-Org/example-app/tree/main/',
        },
      },
    };
    expect(
      catalogInfoUrlAtCommit(listed, SHA, {
        repository: { htmlUrl: 'https://github.com/Octo-Org/example-app' },
      }),
    ).toEqual({
      ok: true,
      url: `https://github.com/Octo-Org/example-app/blob/${SHA}/catalog-info.yaml`,
    });
    expect(
      catalogInfoUrlAtCommit(listed, SHA, {
        repository: { htmlUrl: 'https://github.com/Octo-Org/other' },
      }),
    ).toEqual({
      ok: false,
      reason:
        'component:default/listed has no location (backstage.io/managed-by-location, backstage.io/source-location, backstage.io/managed-by-origin-location) in https://github.com/Octo-Org/other',
    });
  });
});

describe('readDescriptorsAtCommit', () => {
  it('reads every file at the commit', async () => {
    const reader = new CommitReader(GITHOST_REPO);
    const result = await readDescriptorsAtCommit(reader, entity, SHA, {
      related,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const repo = result.value;

    expect(reader.requested.length).toBeGreaterThan(0);
    for (const url of reader.requested) expect(url).toContain(`/${SHA}/`);
    expect(reader.requested).toContain(
      `${GITHOST_REPO}/tree/${SHA}/kubernetes`,
    );
    expect(repo.catalogInfoUrl).toBe(
      `${GITHOST_REPO}/blob/${SHA}/catalog-info.yaml`,
    );
    expect(repo.sha).toBe(SHA);
    expect(repo.problems).toEqual([]);
    expect(Object.keys(repo.files.descriptors).sort()).toEqual([
      'build',
      'catalog',
      'deployment',
      'monitoring',
    ]);
    expect(repo.files.manifests.map(m => m.path)).toEqual([
      'kubernetes/deployment.yaml',
      'kubernetes/example-app-db.yaml',
      'kubernetes/iam-users.yaml',
      'kubernetes/service.yaml',
    ]);
    expect(repo.context).toEqual({
      component: {
        name: 'example-app',
        namespace: 'default',
        owner: 'team-a',
        system: 'metadata-system',
        lifecycle: 'production',
        type: 'service',
        tier: 4,
      },
      dependsOn: [
        {
          name: 'example-app-db',
          type: 'database',
          engine: 'POSTGRES_14',
          region: 'europe-west1',
          sourceKind: 'SQLInstance',
        },
        {
          name: 'example-app-db.iam-user-auth',
          type: 'iam-policy',
          sourceKind: 'IAMPartialPolicy',
        },
      ],
      apiConsumers: ['component:default/www-artist'],
    });
  });

  it('gives the same files and context as the repository on disk', async () => {
    const reader = new CommitReader(GITHOST_REPO);
    const result = await readDescriptorsAtCommit(reader, entity, SHA, {
      related,
    });
    const onDisk = await loadRepository(exampleApp);
    if (!result.ok) throw new Error('not read');
    expect(result.value.files.descriptors).toEqual(onDisk.files.descriptors);
    expect(result.value.files.manifests).toEqual(onDisk.files.manifests);
    // The catalog and the files agree for the example.
    expect(result.value.context.component).toEqual(onDisk.context.component);
    expect(expandRepositoryPipeline(result.value)).toEqual(
      expandRepositoryPipeline(onDisk),
    );
  });

  it('takes the component from the catalog, and new infrastructure from the commit', async () => {
    const reader = new CommitReader(GITHOST_REPO);
    reader.files.set(
      'catalog-info.yaml',
      reader.files
        .get('catalog-info.yaml')!
        .replace('owner: team-a', 'owner: team-b'),
    );
    reader.files.set(
      'kubernetes/cache.yaml',
      [
        'apiVersion: redis.cnrm.cloud.google.com/v1beta1',
        'kind: RedisInstance',
        'metadata:',
        '  name: example-app-cache',
        'spec:',
        '  region: europe-west1',
      ].join('\n'),
    );
    const result = await readDescriptorsAtCommit(reader, entity, SHA, {
      related,
    });
    if (!result.ok) throw new Error('not read');
    expect(result.value.context.component.owner).toBe('team-a');
    expect(result.value.fileContext.component.owner).toBe('team-b');
    expect(result.value.context.dependsOn.map(r => r.name)).toEqual([
      'example-app-cache',
      'example-app-db',
      'example-app-db.iam-user-auth',
    ]);
  });

  it('fetches the related entities from the catalog', async () => {
    const catalog = catalogServiceMock({ entities: [entity, ...related] });
    const result = await readDescriptorsAtCommit(
      new CommitReader(GITHOST_REPO),
      entity,
      SHA,
      {
        catalog: {
          service: catalog,
          credentials: {
            $$type: '@backstage/BackstageCredentials',
            principal: { type: 'service', subject: 'plugin:pipelines' },
          },
        },
      },
    );
    if (!result.ok) throw new Error('not read');
    expect(result.value.context.apiConsumers).toEqual([
      'component:default/www-artist',
    ]);
    expect(result.value.context.dependsOn[0]).toMatchObject({
      name: 'example-app-db',
      type: 'database',
    });
  });

  it('reports a missing catalog-info.yaml and an oversize file at their place', async () => {
    const reader = new CommitReader(GITHOST_REPO);
    reader.files.delete('catalog-info.yaml');
    reader.files.set('monitoring-info.yaml', 'x'.repeat(2_000));
    const result = await readDescriptorsAtCommit(reader, entity, SHA, {
      related,
      maxBytes: 1_000,
    });
    if (!result.ok) throw new Error('not read');
    expect(result.value.problems).toEqual([
      expect.objectContaining({
        file: 'catalog-info.yaml',
        line: 1,
        column: 1,
        message:
          'missing: every service repository needs a catalog-info.yaml at its root',
      }),
      expect.objectContaining({
        file: 'monitoring-info.yaml',
        message: 'file is 2000 bytes, more than the limit of 1000 bytes',
      }),
    ]);
  });

  it('refuses what is not a commit SHA, before any request', async () => {
    const reader = new CommitReader(GITHOST_REPO);
    const result = await readDescriptorsAtCommit(reader, entity, 'master');
    expect(result).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({
          file: 'catalog-info.yaml',
          message:
            'cannot read at "master": not a full commit SHA (40 lower-case hex digits)',
        }),
      ],
    });
    expect(reader.requested).toEqual([]);
  });

  it('refuses an entity without a URL location', async () => {
    const result = await readDescriptorsAtCommit(
      new CommitReader(GITHOST_REPO),
      {
        ...entity,
        metadata: {
          name: 'on-disk',
          annotations: {
            'backstage.io/managed-by-location': 'file:/tmp/catalog-info.yaml',
          },
        },
      },
      SHA,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({
          message:
            'component:default/on-disk has no url: location in a repository (backstage.io/managed-by-location, backstage.io/source-location, backstage.io/managed-by-origin-location)',
        }),
      ],
    });
  });

  it('lets a reader failure other than a missing file through', async () => {
    const reader = new CommitReader(GITHOST_REPO);
    reader.readUrl = async () => {
      throw new Error('rate limited');
    };
    await expect(
      readDescriptorsAtCommit(reader, entity, SHA, { related }),
    ).rejects.toThrow('rate limited');
  });
});

describe('expandPipelineAtCommit', () => {
  it('expands build-info.yaml at the commit and names its template with the defaults', async () => {
    const result = await expandPipelineAtCommit(
      new CommitReader(GITHOST_REPO),
      entity,
      SHA,
      { related },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.origin).toEqual({
      kind: 'template',
      type: 'javaBackend',
      options: { javaVersion: 17, parallelize: false },
    });
    expect(result.value.pipeline.version).toBe('2');
    expect(result.value.pipeline.pipelines.map(p => p.pipeline)).toEqual([
      'Review build',
      'Master build',
    ]);
    expect(result.value.repository.sha).toBe(SHA);
  });

  it('gives positioned problems for an invalid build-info.yaml at the commit', async () => {
    const reader = new CommitReader(GITHOST_REPO);
    reader.files.set(
      'build-info.yaml',
      [
        'version: 2',
        'template:',
        '  type: javaBackend',
        '  javaBackend:',
        '    javaVersion: 8',
      ].join('\n'),
    );
    const result = await expandPipelineAtCommit(reader, entity, SHA, {
      related,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      expect.objectContaining({
        file: 'build-info.yaml',
        line: 5,
        column: 18,
        path: 'template.javaBackend.javaVersion',
      }),
    ]);
  });

  it('refuses a build when catalog-info.yaml at the commit is broken', async () => {
    const reader = new CommitReader(GITHOST_REPO);
    reader.files.set('catalog-info.yaml', 'kind: Component\nmetadata: [\n');
    const result = await expandPipelineAtCommit(reader, entity, SHA, {
      related,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatchObject({
      file: 'catalog-info.yaml',
      line: expect.any(Number),
      column: expect.any(Number),
    });
  });
});
