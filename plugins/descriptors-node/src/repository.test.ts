import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  MAX_MANIFEST_FILES,
  readRepository,
  repositoryFilesFromList,
} from './repository';

const exampleApp = path.resolve(__dirname, '../../../examples/example-app');

function copyWithout(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-repo-'));
  fs.cpSync(exampleApp, dir, { recursive: true });
  fs.rmSync(path.join(dir, file));
  return dir;
}

describe('readRepository', () => {
  it('requires a catalog-info.yaml at the root', async () => {
    const repo = await readRepository(copyWithout('catalog-info.yaml'));
    expect(repo.problems).toEqual([
      {
        file: 'catalog-info.yaml',
        line: 1,
        column: 1,
        path: '',
        message:
          'missing: every service repository needs a catalog-info.yaml at its root',
      },
    ]);
  });

  it('leaves catalog-info.yaml out when asked, reading the rest', async () => {
    const withInfo = await readRepository(exampleApp, { catalogInfo: false });
    expect(Object.keys(withInfo.descriptors).sort()).toEqual([
      'build',
      'deployment',
      'monitoring',
    ]);
    expect(withInfo.manifests.length).toBeGreaterThan(0);
    const without = await readRepository(copyWithout('catalog-info.yaml'), {
      catalogInfo: false,
    });
    expect(without.problems).toEqual([]);
  });

  it('reports a file over the size limit instead of reading it', async () => {
    const repo = await readRepository(exampleApp, { maxBytes: 50 });
    const build = repo.problems.filter(p => p.file === 'build-info.yaml');
    expect(build).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^file is \d+ bytes, more than the limit of 50 bytes$/,
        ),
      }),
    ]);
    expect(repo.descriptors.build).toBeUndefined();
  });
});

describe('repositoryFilesFromList', () => {
  /** example-app's files as a caller would send them. */
  function exampleFiles() {
    const read = (rel: string) => ({
      path: rel,
      text: fs.readFileSync(path.join(exampleApp, rel), 'utf8'),
    });
    return [
      'catalog-info.yaml',
      'build-info.yaml',
      'deployment-info.yaml',
      'monitoring-info.yaml',
      ...fs
        .readdirSync(path.join(exampleApp, 'kubernetes'))
        .map(name => `kubernetes/${name}`),
    ].map(read);
  }

  it('sorts the files as reading the folder from disk does', async () => {
    const fromDisk = await readRepository(exampleApp);
    const fromList = repositoryFilesFromList(exampleFiles().reverse());
    expect(fromList).toEqual({ ...fromDisk, root: '.' });
  });

  it('reports what it does not read instead of leaving it out silently', () => {
    const files = repositoryFilesFromList([
      ...exampleFiles(),
      { path: 'src/build-info.yaml', text: '' },
      { path: 'kubernetes/nested/service.yaml', text: '' },
      { path: 'kubernetes/notes.txt', text: '' },
      { path: 'build-info.yaml', text: 'version: 2\n' },
    ]);
    expect(files.problems.map(p => [p.file, p.line, p.column])).toEqual([
      ['src/build-info.yaml', 1, 1],
      ['kubernetes/nested/service.yaml', 1, 1],
      ['kubernetes/notes.txt', 1, 1],
      ['build-info.yaml', 1, 1],
    ]);
    expect(files.problems[0].message).toMatch(
      /^is neither a descriptor at the repository root \(catalog-info\.yaml, .*\) nor a manifest directly in kubernetes\/ \(\.yaml or \.yml\)$/,
    );
    expect(files.problems[3].message).toBe('is given more than once');
  });

  it('applies the limits and the messages of reading from disk', () => {
    const files = repositoryFilesFromList(
      [
        { path: 'build-info.yaml', text: 'x'.repeat(51) },
        ...Array.from({ length: MAX_MANIFEST_FILES + 1 }, (_, i) => ({
          path: `kubernetes/m${i}.yaml`,
          text: 'a: 1\n',
        })),
      ],
      { maxBytes: 50 },
    );
    expect(files.problems).toEqual([
      {
        file: 'build-info.yaml',
        line: 1,
        column: 1,
        path: '',
        message: 'file is 51 bytes, more than the limit of 50 bytes',
      },
      {
        file: 'catalog-info.yaml',
        line: 1,
        column: 1,
        path: '',
        message:
          'missing: every service repository needs a catalog-info.yaml at its root',
      },
      {
        file: 'kubernetes',
        line: 1,
        column: 1,
        path: '',
        message: `holds ${
          MAX_MANIFEST_FILES + 1
        } manifest files, more than the limit of ${MAX_MANIFEST_FILES}`,
      },
    ]);
    expect(files.manifests).toHaveLength(MAX_MANIFEST_FILES);
    expect(files.descriptors.build).toBeUndefined();
  });

  it('neither needs nor reads catalog-info.yaml when told not to', () => {
    const files = repositoryFilesFromList(exampleFiles(), {
      catalogInfo: false,
    });
    expect(files.problems).toEqual([]);
    expect(files.descriptors.catalog).toBeUndefined();
  });
});
