/**
 * Components registered from a URL (GitHub, the local git hosting): the
 * descriptors are read through Backstage's UrlReader, conditionally once an
 * earlier read gave ETags. The reader here is an in-process stand-in that
 * behaves as the UrlReader contract documents: `etag` on every response,
 * NotModifiedError when the caller's etag still matches, NotFoundError for a
 * missing file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { GitopsDescriptorsProcessor } from './GitopsDescriptorsProcessor';

const exampleApp = path.resolve(__dirname, '../../../examples/example-app');
const BASE = 'https://git.example.test/team-a/example-app/blob/master/';
const TARGET = `${BASE}catalog-info.yaml`;
const TREE =
  'https://git.example.test/team-a/example-app/tree/master/kubernetes';

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/** A repository served the way the UrlReader contract describes. */
class RepositoryReader implements UrlReaderService {
  files = new Map<string, string>();
  withEtags = true;
  /** Requests answered with content, and answered "not modified". */
  downloads: string[] = [];
  notModified: string[] = [];

  constructor(dir: string) {
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

  private treeEtag() {
    return sha(
      [...this.files]
        .filter(([f]) => f.startsWith('kubernetes/'))
        .sort()
        .join('\0'),
    );
  }

  async readUrl(url: string, options?: { etag?: string }) {
    if (!url.startsWith(BASE)) throw new NotFoundError(url);
    const text = this.files.get(url.slice(BASE.length));
    if (text === undefined) throw new NotFoundError(`${url} not found`);
    if (this.withEtags && options?.etag === sha(text)) {
      this.notModified.push(url);
      throw new NotModifiedError();
    }
    this.downloads.push(url);
    return {
      buffer: async () => Buffer.from(text),
      ...(this.withEtags ? { etag: sha(text) } : {}),
    };
  }

  async readTree(url: string, options?: { etag?: string }) {
    if (url !== TREE) throw new NotFoundError(url);
    const files = [...this.files].filter(([f]) => f.startsWith('kubernetes/'));
    if (files.length === 0) throw new NotFoundError(`${url} not found`);
    if (this.withEtags && options?.etag === this.treeEtag()) {
      this.notModified.push(url);
      throw new NotModifiedError();
    }
    this.downloads.push(url);
    return {
      files: async () =>
        files.map(([f, text]) => ({
          path: f.slice('kubernetes/'.length),
          content: async () => Buffer.from(text),
        })),
      archive: async () => {
        throw new Error('not used');
      },
      dir: async () => {
        throw new Error('not used');
      },
      etag: this.withEtags ? this.treeEtag() : '',
    };
  }

  async search(): Promise<never> {
    throw new Error('not used');
  }
}

function component(owner = 'team-a'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'example-app', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

function setup() {
  const reader = new RepositoryReader(exampleApp);
  const store = new Map<string, any>();
  const cache = {
    get: async (key: string) => store.get(key),
    set: async (key: string, value: any) => void store.set(key, value),
  };
  const processor = new GitopsDescriptorsProcessor({
    reader,
    logger: mockServices.logger.mock(),
  });
  const run = async (entity = component()) => {
    reader.downloads = [];
    reader.notModified = [];
    const emitted: CatalogProcessorResult[] = [];
    const result = await processor.preProcessEntity(
      entity,
      { type: 'url', target: TARGET },
      r => emitted.push(r),
      { type: 'url', target: TARGET },
      cache,
    );
    return {
      annotations: result.metadata.annotations ?? {},
      resources: emitted.flatMap(r =>
        r.type === 'entity'
          ? [`${r.entity.metadata.name} ${r.entity.spec?.owner}`]
          : [],
      ),
      errors: emitted.flatMap(r =>
        r.type === 'error' ? [r.error.message] : [],
      ),
    };
  };
  return { reader, run };
}

describe('descriptors at a URL', () => {
  it('reads them through the UrlReader, then only asks whether they changed', async () => {
    const { reader, run } = setup();
    const first = await run();
    expect(first.errors).toEqual([]);
    expect(first.annotations).toMatchObject({
      'gitops.io/build-template': 'javaBackend',
      'gitops.io/dashboards': '1',
    });
    expect(first.resources).toEqual([
      'example-app-db team-a',
      'example-app-db.iam-user-auth team-a',
    ]);
    expect(reader.downloads.sort()).toEqual(
      [
        `${BASE}build-info.yaml`,
        `${BASE}deployment-info.yaml`,
        `${BASE}monitoring-info.yaml`,
        TREE,
      ].sort(),
    );

    // The catalog's next refresh: nothing downloaded, the same result.
    const second = await run();
    expect(reader.downloads).toEqual([]);
    expect(reader.notModified).toHaveLength(4);
    expect(second).toEqual(first);
  });

  it('notices a changed file and reads the others again in full', async () => {
    const { reader, run } = setup();
    await run();
    reader.files.set(
      'build-info.yaml',
      'version: 2\ntemplate:\n  type: nodeService\n',
    );
    const changed = await run();
    expect(changed.annotations['gitops.io/build-template']).toBe('nodeService');
    expect(reader.downloads).toContain(`${BASE}build-info.yaml`);
    expect(reader.downloads).toContain(`${BASE}monitoring-info.yaml`);
    expect(changed.annotations['gitops.io/dashboards']).toBe('1');
  });

  it('notices a file that appears, goes away or breaks', async () => {
    const { reader, run } = setup();
    const monitoring = reader.files.get('monitoring-info.yaml')!;
    reader.files.delete('monitoring-info.yaml');
    expect((await run()).annotations['gitops.io/dashboards']).toBeUndefined();
    reader.files.set('monitoring-info.yaml', monitoring);
    expect((await run()).annotations['gitops.io/dashboards']).toBe('1');

    reader.files.delete('kubernetes/example-app-db.yaml');
    expect((await run()).resources).toEqual([
      'example-app-db.iam-user-auth team-a',
    ]);

    reader.files.set('deployment-info.yaml', 'version: [\n');
    const broken = await run();
    expect(broken.errors).toEqual([
      expect.stringMatching(/^gitops: deployment-info\.yaml:\d+:\d+: /),
    ]);
    // Still broken on the next refresh, without downloading anything.
    expect(await run()).toEqual(broken);
    expect(reader.downloads).toEqual([]);
  });

  it('analyses again, unconditionally, when the entity itself changed', async () => {
    const { reader, run } = setup();
    await run();
    const moved = await run(component('team-b'));
    expect(reader.notModified).toEqual([]);
    expect(moved.resources).toEqual([
      'example-app-db team-b',
      'example-app-db.iam-user-auth team-b',
    ]);
  });

  it('reads in full every time from a reader without ETags', async () => {
    const { reader, run } = setup();
    reader.withEtags = false;
    const first = await run();
    const second = await run();
    expect(reader.downloads).toHaveLength(4);
    expect(second).toEqual(first);
  });
});
