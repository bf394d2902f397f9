import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runCli } from './program';
import { capture, tempRepo, exampleApp } from './__testUtils__/cli';

const catalogInfo =
  'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n';

describe('gitops validate', () => {
  it('accepts the seed example service', async () => {
    const { out, io } = capture();
    expect(await runCli(['validate', exampleApp], io)).toBe(0);
    expect(out.stderr).toBe('');
    for (const file of [
      'catalog-info.yaml',
      'build-info.yaml',
      'deployment-info.yaml',
      'monitoring-info.yaml',
      'kubernetes/example-app-db.yaml',
    ]) {
      expect(out.stdout).toContain(file);
    }
  });

  it('names file, line and column of a YAML error and exits 1', async () => {
    const dir = tempRepo({
      'catalog-info.yaml': catalogInfo,
      'build-info.yaml':
        'version: 2\ntemplate:\n  type: javaBackend\n  type: x\n',
    });
    const { out, io } = capture();
    expect(await runCli(['validate', dir], io)).toBe(1);
    expect(out.stderr).toContain(
      `${path.join(dir, 'build-info.yaml')}:4:3: duplicate key "type"`,
    );
  });

  it('reports every broken file, not just the first', async () => {
    const dir = tempRepo({
      'catalog-info.yaml': catalogInfo,
      'build-info.yaml': 'a: [1\n',
      'monitoring-info.yaml': 'x: !Ref other\n',
      'kubernetes/a.yaml': 'kind: Service\n  bad: indent\n',
    });
    const { out, io } = capture();
    expect(await runCli(['validate', dir, '--format', 'json'], io)).toBe(1);
    const report = JSON.parse(out.stdout);
    expect([
      ...new Set(report.problems.map((p: { file: string }) => p.file)),
    ]).toEqual([
      'build-info.yaml',
      'kubernetes/a.yaml',
      'monitoring-info.yaml',
    ]);
  });

  it('requires a catalog-info.yaml', async () => {
    const dir = tempRepo({ 'build-info.yaml': 'version: 2\n' });
    const { out, io } = capture();
    expect(await runCli(['validate', dir], io)).toBe(1);
    expect(out.stderr).toMatch(/catalog-info\.yaml:1:1: missing/);
  });

  it('does not follow a symlink out of the repository', async () => {
    const outside = tempRepo({ 'secret.yaml': 'password: hunter2\n' });
    const dir = tempRepo({ 'catalog-info.yaml': catalogInfo });
    fs.symlinkSync(
      path.join(outside, 'secret.yaml'),
      path.join(dir, 'build-info.yaml'),
    );
    const { out, io } = capture();
    expect(await runCli(['validate', dir], io)).toBe(1);
    expect(out.stderr).toMatch(/build-info\.yaml:1:1: is a symbolic link/);
    expect(out.stderr).not.toContain('hunter2');
  });

  it('refuses a file over the size limit without reading it', async () => {
    const dir = tempRepo({
      'catalog-info.yaml': catalogInfo,
      'monitoring-info.yaml': `a: "${'x'.repeat(5 * 1024 * 1024)}"\n`,
    });
    const { out, io } = capture();
    expect(await runCli(['validate', dir], io)).toBe(1);
    expect(out.stderr).toMatch(/monitoring-info\.yaml:1:1: file is \d+ bytes/);
  });

  it('fails clearly on a directory that does not exist', async () => {
    const { out, io } = capture();
    expect(await runCli(['validate', '/no/such/dir'], io)).toBe(1);
    expect(out.stderr).toContain('/no/such/dir is not a directory');
  });

  it('rejects an unknown output format', async () => {
    const { out, io } = capture();
    expect(await runCli(['validate', exampleApp, '--format', 'xml'], io)).toBe(
      1,
    );
    expect(out.stderr).toContain('must be one of: text, json');
  });
});

describe('the gitops binary', () => {
  const run = promisify(execFile);
  const bin = path.resolve(__dirname, '../bin/gitops');

  it('prints help', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toContain('validate');
  });

  it('exits 1 with the position of a broken file', async () => {
    const dir = tempRepo({
      'catalog-info.yaml': catalogInfo,
      'deployment-info.yaml': 'version: 1\ncomponents: [\n',
    });
    await expect(
      run(process.execPath, [bin, 'validate', dir]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/deployment-info\.yaml:3:1: /),
    });
  }, 30_000);
});
