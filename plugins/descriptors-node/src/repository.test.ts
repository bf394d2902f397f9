import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRepository } from './repository';

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
