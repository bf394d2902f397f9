import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  generateRepositoryMonitoring,
  loadRepository,
} from '@gitops/descriptors-node';
import { monitoringFiles } from '@gitops/plugin-monitoring-common';
import { runCli } from './program';
import { capture, exampleApp, exampleCopy } from './__testUtils__/cli';

describe('gitops generate-monitoring', () => {
  it("writes example-app's dashboards, rules and routes, accepted by promtool and amtool", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-mon-'));
    const { out, io } = capture();
    expect(
      await runCli(['generate-monitoring', exampleApp, '--out', outDir], io),
    ).toBe(0);
    const written = out.stdout
      .trim()
      .split('\n')
      .map(f => path.relative(outDir, f));
    expect(written).toEqual([
      'alertmanager/routes.yaml',
      'dashboards/example-app-example-app-dashboard.json',
      'prometheus/rules.yaml',
    ]);
    const dashboard = JSON.parse(
      fs.readFileSync(path.join(outDir, written[1]), 'utf8'),
    );
    expect(dashboard.title).toBe('[example-app] Dashboard');
    // Real tools from Debian's prometheus and prometheus-alertmanager packages.
    execFileSync('promtool', [
      'check',
      'rules',
      path.join(outDir, 'prometheus/rules.yaml'),
    ]);
    execFileSync('amtool', [
      'check-config',
      path.join(outDir, 'alertmanager/routes.yaml'),
    ]);
  });

  it('writes exactly the files monitoringFiles makes, byte for byte (as the scaffolder action does)', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-mon-'));
    const { io } = capture();
    expect(
      await runCli(['generate-monitoring', exampleApp, '--out', outDir], io),
    ).toBe(0);
    const result = generateRepositoryMonitoring(
      await loadRepository(exampleApp),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const expected = monitoringFiles(result.value);
    const onDisk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap(e =>
          e.isDirectory()
            ? onDisk(path.join(dir, e.name))
            : [path.relative(outDir, path.join(dir, e.name))],
        );
    expect(onDisk(outDir).sort()).toEqual(expected.map(f => f.path));
    for (const file of expected) {
      expect(fs.readFileSync(path.join(outDir, file.path), 'utf8')).toBe(
        file.content,
      );
    }
  });

  it('writes nothing when monitoring-info.yaml is broken', async () => {
    const dir = exampleCopy();
    fs.writeFileSync(
      path.join(dir, 'monitoring-info.yaml'),
      'metadata:\n  schemaVersion: 5\ncomponents:\n  example-app:\n    - name: x\n      panels:\n        - template: nope\n          type: bundle\n',
    );
    const outDir = path.join(dir, 'out');
    const { out, io } = capture();
    expect(
      await runCli(['generate-monitoring', dir, '--out', outDir], io),
    ).toBe(1);
    expect(out.stderr).toMatch(/monitoring-info\.yaml:7:\d+: /);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('requires --out', async () => {
    const { out, io } = capture();
    expect(await runCli(['generate-monitoring', exampleApp], io)).toBe(1);
    expect(out.stderr).toContain("required option '--out <dir>' not specified");
  });
});
