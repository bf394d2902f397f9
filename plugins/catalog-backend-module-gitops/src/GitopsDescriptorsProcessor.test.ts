import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { Duration } from '@gitops/descriptors-common';
import { GitopsDescriptorsProcessor } from './GitopsDescriptorsProcessor';
import { WorkerPoolAnalyzer } from './analysisPool';

const exampleApp = path.resolve(__dirname, '../../../examples/example-app');

function component(name: string, spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-a',
      ...spec,
    },
  };
}

/** A copy of example-app with some files replaced. */
function brokenCopy(files: Record<string, string | null>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-catalog-'));
  fs.cpSync(exampleApp, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (text === null) fs.rmSync(file);
    else fs.writeFileSync(file, text);
  }
  return dir;
}

async function process(
  entity: Entity,
  dir: string,
  processor = new GitopsDescriptorsProcessor({
    reader: mockServices.urlReader.mock(),
    logger: mockServices.logger.mock(),
  }),
) {
  const emitted: CatalogProcessorResult[] = [];
  const result = await processor.preProcessEntity(
    entity,
    { type: 'file', target: path.join(dir, 'catalog-info.yaml') },
    r => emitted.push(r),
  );
  const errors = emitted.flatMap(r =>
    r.type === 'error' ? [r.error.message] : [],
  );
  return { result, emitted, errors };
}

describe('GitopsDescriptorsProcessor', () => {
  it('annotates example-app and emits its database and IAM policy as Resources', async () => {
    const seed = component('example-app', {
      system: 'metadata-system',
      providesApis: ['example-app-api'],
      apiConsumedBy: ['component:www-artist'],
    });
    const { result, emitted, errors } = await process(seed, exampleApp);
    expect(errors).toEqual([]);
    expect(result.metadata.annotations).toEqual({
      'gitops.io/descriptors':
        'build-info.yaml,deployment-info.yaml,monitoring-info.yaml',
      'gitops.io/build-template': 'javaBackend',
      'gitops.io/deploy-backends': 'kubernetes',
      'gitops.io/automated-canary': 'true',
      'gitops.io/dashboards': '1',
    });
    const resources = emitted.flatMap(r =>
      r.type === 'entity' ? [r.entity] : [],
    );
    // In the order of kubernetes/'s files.
    expect(
      resources.map(r => [r.metadata.name, r.spec?.type, r.spec?.owner]),
    ).toEqual([
      ['example-app-db', 'database', 'team-a'],
      ['example-app-db.iam-user-auth', 'iam-policy', 'team-a'],
    ]);
    const db = resources.find(r => r.metadata.name === 'example-app-db')!;
    expect(db.metadata.annotations).toMatchObject({
      'gitops.io/database-engine': 'POSTGRES_14',
      'gitops.io/region': 'europe-west1',
      'gitops.io/source-kind': 'SQLInstance',
    });
    expect(db.spec).toMatchObject({ system: 'metadata-system' });
    const relations = emitted.flatMap(r =>
      r.type === 'relation' ? [r.relation] : [],
    );
    // The dependency in both directions comes with the component itself.
    const app = {
      kind: 'Component',
      namespace: 'default',
      name: 'example-app',
    };
    const dbRef = {
      kind: 'resource',
      namespace: 'default',
      name: 'example-app-db',
    };
    expect(relations).toContainEqual({
      source: app,
      type: 'dependsOn',
      target: dbRef,
    });
    expect(relations).toContainEqual({
      source: dbRef,
      type: 'dependencyOf',
      target: app,
    });
    expect(relations).toContainEqual({
      source: { kind: 'component', namespace: 'default', name: 'www-artist' },
      type: 'consumesApi',
      target: { kind: 'api', namespace: 'default', name: 'example-app-api' },
    });
  });

  it('reuses its analysis while the files are unchanged, and notices a change', async () => {
    const dir = brokenCopy({});
    const store = new Map<string, any>();
    const cache = {
      get: async (key: string) => store.get(key),
      set: async (key: string, value: any) => void store.set(key, value),
    };
    const processor = new GitopsDescriptorsProcessor({
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
    });
    const run = () =>
      processor.preProcessEntity(
        component('example-app'),
        { type: 'file', target: path.join(dir, 'catalog-info.yaml') },
        () => {},
        { type: 'file', target: path.join(dir, 'catalog-info.yaml') },
        cache,
      );
    expect(
      (await run()).metadata.annotations?.['gitops.io/build-template'],
    ).toBe('javaBackend');
    const first = store.get('gitops-descriptors-v2');
    expect(
      (await run()).metadata.annotations?.['gitops.io/build-template'],
    ).toBe('javaBackend');
    // The same analysis object: not analysed again.
    expect(store.get('gitops-descriptors-v2').analysis).toBe(first.analysis);
    fs.writeFileSync(
      path.join(dir, 'build-info.yaml'),
      'version: 2\ntemplate:\n  type: nodeService\n',
    );
    expect(
      (await run()).metadata.annotations?.['gitops.io/build-template'],
    ).toBe('nodeService');
  });

  it('leaves other kinds alone', async () => {
    const api: Entity = { ...component('x'), kind: 'API' };
    const { result, emitted } = await process(api, exampleApp);
    expect(result).toBe(api);
    expect(emitted).toEqual([]);
  });

  const bomb = [
    'version: 2',
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    '',
  ].join('\n');

  it.each([
    [
      'a YAML alias bomb',
      { 'build-info.yaml': bomb },
      /build-info\.yaml:1:1: too many alias references/,
    ],
    [
      'a 5 MB descriptor',
      { 'monitoring-info.yaml': `# ${'x'.repeat(5 * 1024 * 1024)}\n` },
      /monitoring-info\.yaml:1:1: file is \d+ bytes, more than the limit/,
    ],
    [
      'duplicate keys',
      { 'deployment-info.yaml': 'version: 1\nversion: 1\ncomponents: []\n' },
      /deployment-info\.yaml:2:1: duplicate key "version"/,
    ],
    [
      'an unknown template type',
      { 'build-info.yaml': 'version: 2\ntemplate:\n  type: cobolBatch\n' },
      /build-info\.yaml:3:9: unknown build template "cobolBatch"/,
    ],
    [
      'a kubernetes/ file with 1,000 documents',
      {
        'kubernetes/many.yaml': Array.from(
          { length: 1000 },
          (_, i) =>
            `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`,
        ).join('---\n'),
      },
      /kubernetes\/many\.yaml:\d+:1: file holds 1000 YAML documents, more than the limit of 100/,
    ],
  ])(
    'reports %s as an error on that entity, with its position',
    async (_, files, message) => {
      const { result, emitted, errors } = await process(
        component('example-app'),
        brokenCopy(files),
      );
      expect(errors).toEqual(
        expect.arrayContaining([expect.stringMatching(message)]),
      );
      // Nothing else comes out: no annotations, no Resources.
      expect(result.metadata.annotations).toBeUndefined();
      expect(emitted.every(r => r.type === 'error')).toBe(true);
    },
  );

  it('does not follow a symlink out of the repository', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.yaml'), 'token: hunter2\n');
    const dir = brokenCopy({ 'monitoring-info.yaml': null });
    fs.symlinkSync(
      path.join(outside, 'secret.yaml'),
      path.join(dir, 'monitoring-info.yaml'),
    );
    const { errors } = await process(component('example-app'), dir);
    expect(errors).toEqual([
      expect.stringMatching(/monitoring-info\.yaml:1:1: is a symbolic link/),
    ]);
    expect(errors.join()).not.toContain('hunter2');
  });

  it('reads the descriptors beside a component declared in any file', async () => {
    // A monorepo's components.yaml with many entities and no catalog-info.yaml
    // beside it: the catalog parsed the file; the module reads only the
    // descriptors next to it.
    const dir = brokenCopy({ 'catalog-info.yaml': null });
    const many = Array.from(
      { length: 120 },
      (_, i) =>
        `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c${i}\n`,
    ).join('---\n');
    fs.writeFileSync(path.join(dir, 'components.yaml'), many);
    const processor = new GitopsDescriptorsProcessor({
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
    });
    const emitted: CatalogProcessorResult[] = [];
    const result = await processor.preProcessEntity(
      component('c7'),
      { type: 'file', target: path.join(dir, 'components.yaml') },
      r => emitted.push(r),
    );
    expect(emitted.filter(r => r.type === 'error')).toEqual([]);
    expect(result.metadata.annotations?.['gitops.io/build-template']).toBe(
      'javaBackend',
    );
  });

  it('caps the number of reported problems', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}: v`).join('\n');
    const { errors } = await process(
      component('example-app'),
      brokenCopy({
        'build-info.yaml': `version: 2\ntemplate:\n  type: javaBackend\n${keys}\n`,
      }),
    );
    expect(errors).toHaveLength(21);
    expect(errors[20]).toBe('gitops: 40 more problem(s) not shown');
  });

  it('turns a descriptor that hangs or crashes its worker into an error on that entity only', async () => {
    const analyzer = new WorkerPoolAnalyzer({
      size: 1,
      logger: mockServices.logger.mock(),
      timeout: Duration.seconds(1),
      // Hangs on a component named "hangs", crashes on "crashes".
      entry: path.join(__dirname, '__fixtures__/misbehavingAnalysisWorker.ts'),
    });
    const processor = new GitopsDescriptorsProcessor({
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
      analyzer,
    });
    const info = path.join(exampleApp, 'catalog-info.yaml');
    try {
      const [hangs, crashes, app] = await Promise.all([
        process(component('hangs'), exampleApp, processor),
        process(component('crashes'), exampleApp, processor),
        process(component('example-app'), exampleApp, processor),
      ]);
      expect(hangs.errors).toEqual([
        `gitops: ${info}: analysis took longer than 1s`,
      ]);
      expect(hangs.result).toEqual(component('hangs'));
      expect(crashes.errors).toEqual([
        `gitops: ${info}: the analysis worker crashed`,
      ]);
      expect(crashes.result).toEqual(component('crashes'));
      // Analysed on the fresh worker that replaced the crashed one.
      expect(app.errors).toEqual([]);
      expect(
        app.result.metadata.annotations?.['gitops.io/build-template'],
      ).toBe('javaBackend');
    } finally {
      await analyzer.close();
    }
  }, 60_000);
});
