import fs from 'node:fs';
import path from 'node:path';
import {
  generateRepositoryMonitoring,
  loadRepository,
} from '@gitops/descriptors-node';
import { monitoringFiles } from '@gitops/plugin-monitoring-common';
import { createGenerateMonitoringAction } from './generateMonitoring';
import {
  exampleInputs,
  exampleWorkspace,
  runAction,
} from '../__testUtils__/actions';

describe('gitops:monitoring:generate', () => {
  const action = createGenerateMonitoringAction();

  it.each(exampleInputs(action))('example: %s', async (_, input) => {
    const workspace = exampleWorkspace();
    const outputs = await runAction(action, input, workspace);
    expect(outputs.dashboards).toEqual(['[example-app] Dashboard']);
    expect(outputs.files).toEqual([
      'generated/monitoring/alertmanager/routes.yaml',
      'generated/monitoring/dashboards/example-app-example-app-dashboard.json',
      'generated/monitoring/prometheus/rules.yaml',
    ]);
    const rules = fs.readFileSync(
      path.join(workspace, 'generated/monitoring/prometheus/rules.yaml'),
      'utf8',
    );
    expect(rules).toContain(
      'sum by (pod) (increase(hydrate_exception_total{app="example-app"}[10m])) > 10',
    );
  });

  it('writes exactly the files monitoringFiles makes, byte for byte (as the CLI does)', async () => {
    const workspace = exampleWorkspace();
    const expected = generateRepositoryMonitoring(
      await loadRepository(workspace),
    );
    if (!expected.ok) throw new Error(JSON.stringify(expected.problems));
    const outputs = await runAction(
      action,
      { path: '.', targetPath: 'out' },
      workspace,
    );
    const files = monitoringFiles(expected.value);
    expect(outputs.files).toEqual(files.map(f => `out/${f.path}`));
    for (const file of files) {
      expect(
        fs.readFileSync(path.join(workspace, 'out', file.path), 'utf8'),
      ).toBe(file.content);
    }
  });

  it('refuses a target outside the workspace and writes nothing', async () => {
    const workspace = exampleWorkspace();
    await expect(
      runAction(action, { path: '.', targetPath: '../escape' }, workspace),
    ).rejects.toThrow(/outside|not allowed/i);
    expect(fs.existsSync(path.join(workspace, '../escape'))).toBe(false);
  });

  it('fails with the position of a bad panel', async () => {
    const workspace = exampleWorkspace();
    fs.writeFileSync(
      path.join(workspace, 'monitoring-info.yaml'),
      'metadata:\n  schemaVersion: 4\ncomponents: {}\n',
    );
    await expect(runAction(action, { path: '.' }, workspace)).rejects.toThrow(
      /monitoring-info\.yaml:2:18: /,
    );
  });
});
