import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRepository, repositoryFromFiles } from './load';
import { repositoryFilesFromList } from './repository';
import { validateDescriptors, validateLoadedRepository } from './validate';

const exampleApp = path.resolve(__dirname, '../../../examples/example-app');

function copyExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-node-'));
  fs.cpSync(exampleApp, dir, { recursive: true });
  return dir;
}

async function problemsOf(dir: string) {
  const repo = await loadRepository(dir);
  return validateDescriptors(
    { descriptors: repo.files.descriptors, manifests: repo.files.manifests },
    repo.parsed,
  ).problems;
}

describe('loadRepository', () => {
  it("builds example-app's catalog context from its own files", async () => {
    const repo = await loadRepository(exampleApp);
    expect(repo.problems).toEqual([]);
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
          sourceKind: 'SQLInstance',
          engine: 'POSTGRES_14',
          region: 'europe-west1',
        },
        {
          name: 'example-app-db.iam-user-auth',
          type: 'iam-policy',
          sourceKind: 'IAMPartialPolicy',
        },
      ],
      apiConsumers: ['component:www-artist'],
    });
  });
});

describe('validateDescriptors', () => {
  it('accepts the seed example', async () => {
    expect(await problemsOf(exampleApp)).toEqual([]);
  });

  it('checks every language and reports all files at once', async () => {
    const dir = copyExample();
    fs.writeFileSync(
      path.join(dir, 'build-info.yaml'),
      'version: 2\ntemplate:\n  type: cobol\n',
    );
    fs.writeFileSync(
      path.join(dir, 'monitoring-info.yaml'),
      'metadata:\n  schemaVersion: 4\ncomponents: {}\n',
    );
    const problems = await problemsOf(dir);
    expect(problems.map(p => `${p.file}:${p.line}`)).toEqual(
      expect.arrayContaining(['build-info.yaml:3', 'monitoring-info.yaml:2']),
    );
  });

  it('does not re-check a file whose YAML is broken', async () => {
    const dir = copyExample();
    fs.writeFileSync(path.join(dir, 'build-info.yaml'), 'version: [2\n');
    const problems = await problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe('build-info.yaml');
  });
});

describe('validateLoadedRepository', () => {
  it("reports a list's reading and descriptor problems together, in file order", () => {
    const repo = repositoryFromFiles(
      repositoryFilesFromList([
        {
          path: 'build-info.yaml',
          text: 'version: 2\ntemplate:\n  type: cobol\n',
        },
        { path: 'notes.md', text: '' },
      ]),
      'unnamed',
    );
    const { files, problems } = validateLoadedRepository(repo);
    expect(files).toEqual(['build-info.yaml']);
    expect(problems.map(p => `${p.file}:${p.line}:${p.column}`)).toEqual([
      'build-info.yaml:3:9',
      'catalog-info.yaml:1:1',
      'notes.md:1:1',
    ]);
    expect(repo.context.component.name).toBe('unnamed');
  });
});
