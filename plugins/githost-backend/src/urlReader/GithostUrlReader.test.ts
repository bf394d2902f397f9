import fs from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  UrlReaders,
  urlReaderServiceFactory,
} from '@backstage/backend-defaults/urlReader';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { GitRepositoryStore } from '@gitops/plugin-githost-node';
import { cleanupTempDirs, tempDir } from '@gitops/test-utils';
import { GithostUrlReader, githostUrlReaderFactory } from './GithostUrlReader';

const BASE = 'http://localhost:7007/api/githost';
const author = { name: 'Ada', email: 'ada@example.com' };

describe('GithostUrlReader', () => {
  let root: string;
  let store: GitRepositoryStore;
  let reader: UrlReaderService;
  let master: string;
  let configData: { backend: { baseUrl: string }; githost: { root: string } };

  beforeAll(async () => {
    root = path.join(tempDir(), 'git');
    store = new GitRepositoryStore({ root });
    await store.create('team-a', 'svc');
    const source = tempDir();
    const write = (file: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
      fs.writeFileSync(path.join(source, file), content);
    };
    write('catalog-info.yaml', 'kind: Component\nmetadata:\n  name: svc\n');
    write('kubernetes/deployment.yaml', 'kind: Deployment\n');
    write('kubernetes/service.yaml', 'kind: Service\n');
    write('docs/index.md', '# svc\n');
    // Links committed to the repository that point outside of it.
    fs.symlinkSync('/etc/passwd', path.join(source, 'passwd'));
    fs.symlinkSync('/etc', path.join(source, 'kubernetes', 'etc'));
    master = (
      await store.commitDirectory('team-a', 'svc', {
        sourceDir: source,
        branch: 'master',
        message: 'initial commit',
        author,
      })
    ).after;
    write('catalog-info.yaml', 'kind: Component\nmetadata:\n  name: feature\n');
    await store.commitDirectory('team-a', 'svc', {
      sourceDir: source,
      branch: 'feature/x',
      message: 'on a branch with a slash',
      author,
    });

    configData = {
      backend: { baseUrl: 'http://localhost:7007' },
      githost: { root },
    };
    reader = UrlReaders.create({
      config: new ConfigReader(configData),
      logger: mockServices.logger.mock(),
      factories: [GithostUrlReader.factory],
    });
  });

  afterAll(() => cleanupTempDirs());

  it('reads catalog-info.yaml at master, with the blob sha as etag', async () => {
    const res = await reader.readUrl(
      `${BASE}/team-a/svc/blob/master/catalog-info.yaml`,
    );
    expect((await res.buffer()).toString()).toBe(
      'kind: Component\nmetadata:\n  name: svc\n',
    );
    expect(res.etag).toMatch(/^[0-9a-f]{40}$/);
    await expect(
      reader.readUrl(`${BASE}/team-a/svc/blob/master/catalog-info.yaml`, {
        etag: res.etag,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('reads a file through a tree URL, as catalog:register builds them', async () => {
    const res = await reader.readUrl(
      `${BASE}/team-a/svc/tree/master/catalog-info.yaml`,
    );
    expect((await res.buffer()).toString()).toContain('name: svc');
  });

  it('reads branches whose names contain a slash, and commits', async () => {
    const branch = await reader.readUrl(
      `${BASE}/team-a/svc/blob/feature/x/catalog-info.yaml`,
    );
    expect((await branch.buffer()).toString()).toContain('name: feature');
    const commit = await reader.readUrl(
      `${BASE}/team-a/svc/blob/${master}/catalog-info.yaml`,
    );
    expect((await commit.buffer()).toString()).toContain('name: svc');
  });

  it('gives NotFoundError for a missing file, ref or repository', async () => {
    for (const url of [
      `${BASE}/team-a/svc/blob/master/missing.yaml`,
      `${BASE}/team-a/svc/blob/no-such-branch/catalog-info.yaml`,
      `${BASE}/team-a/nope/blob/master/catalog-info.yaml`,
    ]) {
      await expect(reader.readUrl(url)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    }
  });

  it('refuses a symlink pointing outside the repository', async () => {
    await expect(
      reader.readUrl(`${BASE}/team-a/svc/blob/master/passwd`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('symbolic link'),
    });
    // Through a linked folder: git never resolves the link.
    await expect(
      reader.readUrl(`${BASE}/team-a/svc/blob/master/kubernetes/etc/passwd`),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses paths that climb out of the repository', async () => {
    for (const url of [
      `${BASE}/team-a/svc/blob/master/..%2f..%2f..%2fetc%2fpasswd`,
      `${BASE}/team-a/svc/blob/master/%2e%2e/catalog-info.yaml`,
      `${BASE}/team-a/%2e%2e/blob/master/catalog-info.yaml`,
      `${BASE}/team-a/svc/blob/--output=x/catalog-info.yaml`,
    ]) {
      await expect(reader.readUrl(url)).rejects.toMatchObject({
        name: 'InputError',
      });
    }
  });

  it('reads the kubernetes/ folder as a tree, leaving links out', async () => {
    const res = await reader.readTree(
      `${BASE}/team-a/svc/tree/master/kubernetes`,
    );
    expect(res.etag).toBe(master);
    const files = await res.files();
    expect(files.map(f => f.path).sort()).toEqual([
      'deployment.yaml',
      'service.yaml',
    ]);
    const content = await Promise.all(
      files.map(async f => (await f.content()).toString()),
    );
    expect(content.sort()).toEqual(['kind: Deployment\n', 'kind: Service\n']);
    await expect(
      reader.readTree(`${BASE}/team-a/svc/tree/master/kubernetes`, {
        etag: master,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('writes a tree to a folder without materializing links', async () => {
    const res = await reader.readTree(`${BASE}/team-a/svc/tree/master`, {
      filter: p => !p.startsWith('docs/'),
    });
    const dir = await res.dir({ targetDir: tempDir() });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'catalog-info.yaml',
      'kubernetes',
    ]);
    expect(fs.readdirSync(path.join(dir, 'kubernetes')).sort()).toEqual([
      'deployment.yaml',
      'service.yaml',
    ]);
  });

  it('searches with globs and exact paths', async () => {
    const yaml = await reader.search(
      `${BASE}/team-a/svc/blob/master/**/*.yaml`,
    );
    expect(yaml.etag).toBe(master);
    expect(yaml.files.map(f => f.url).sort()).toEqual([
      `${BASE}/team-a/svc/blob/master/catalog-info.yaml`,
      `${BASE}/team-a/svc/blob/master/kubernetes/deployment.yaml`,
      `${BASE}/team-a/svc/blob/master/kubernetes/service.yaml`,
    ]);
    const k8s = await reader.search(
      `${BASE}/team-a/svc/tree/master/kubernetes/{deployment,nope}.yaml`,
    );
    expect(k8s.files.map(f => f.url)).toEqual([
      `${BASE}/team-a/svc/blob/master/kubernetes/deployment.yaml`,
    ]);
    expect((await k8s.files[0].content()).toString()).toBe(
      'kind: Deployment\n',
    );

    const exact = await reader.search(
      `${BASE}/team-a/svc/blob/master/catalog-info.yaml`,
    );
    expect(exact.files).toHaveLength(1);
    const none = await reader.search(
      `${BASE}/team-a/svc/blob/master/nope.yaml`,
    );
    expect(none.files).toEqual([]);
    const links = await reader.search(`${BASE}/team-a/svc/blob/master/passw*`);
    expect(links.files).toEqual([]);
  });

  it('only claims URLs under the githost base URL', async () => {
    await expect(
      reader.readUrl(
        'http://localhost:7007/api/catalog/team-a/svc/blob/master/x',
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      reader.readUrl('http://example.com/api/githost/team-a/svc/blob/master/x'),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it("is used by Backstage's UrlReader once githostUrlReaderFactory is added", async () => {
    let urlReader: UrlReaderService | undefined;
    await startTestBackend({
      features: [
        githostUrlReaderFactory,
        urlReaderServiceFactory,
        mockServices.rootConfig.factory({ data: configData }),
        createBackendPlugin({
          pluginId: 'probe',
          register(env) {
            env.registerInit({
              deps: { urlReader: coreServices.urlReader },
              async init(deps) {
                urlReader = deps.urlReader;
              },
            });
          },
        }),
      ],
    });
    const res = await urlReader!.readUrl(
      `${BASE}/team-a/svc/blob/master/catalog-info.yaml`,
    );
    expect((await res.buffer()).toString()).toContain('name: svc');
  });
});
