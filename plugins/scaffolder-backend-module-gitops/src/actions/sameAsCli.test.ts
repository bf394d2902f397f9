import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exampleWorkspace, runAction } from '../__testUtils__/actions';
import { createExpandPipelineAction } from './expandPipeline';
import { createGenerateMonitoringAction } from './generateMonitoring';
import { createRenderDeploymentAction } from './renderDeployment';

/**
 * The CLI and the scaffolder actions serialise each engine's output the
 * same way (the engines' `*Files` functions): run the real `gitops` binary
 * and the actions on examples/example-app and compare the bytes written.
 */
const root = path.resolve(__dirname, '../../../..');
const gitops = path.join(root, 'packages/cli/bin/gitops');
const example = path.join(root, 'examples/example-app');

async function cli(...args: string[]): Promise<string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-cli-out-'));
  await promisify(execFile)(
    process.execPath,
    [gitops, ...args, example, '--out', out],
    { cwd: root, timeout: 60_000 },
  );
  return out;
}

/** Every file under a folder, by path relative to it. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        files[path.relative(dir, full).split(path.sep).join('/')] =
          fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

describe('the CLI and the actions write the same bytes for example-app', () => {
  jest.setTimeout(120_000);

  it.each(['github-actions', 'argo-workflows'] as const)(
    'expand-pipeline --format %s and gitops:pipeline:expand writeAs',
    async format => {
      const fromCli = tree(await cli('expand-pipeline', '--format', format));
      const workspace = exampleWorkspace();
      const before = new Set(Object.keys(tree(workspace)));
      await runAction(
        createExpandPipelineAction(),
        { path: '.', writeAs: format },
        workspace,
      );
      const written = Object.fromEntries(
        Object.entries(tree(workspace)).filter(([f]) => !before.has(f)),
      );
      expect(Object.keys(written).length).toBeGreaterThan(0);
      expect(written).toEqual(fromCli);
    },
  );

  it('expand-pipeline (the expanded pipeline) and the action output', async () => {
    const fromCli = tree(await cli('expand-pipeline'));
    const output = await runAction(
      createExpandPipelineAction(),
      { path: '.' },
      exampleWorkspace(),
    );
    expect(Object.values(fromCli)).toEqual([output.pipeline]);
  });

  it('render-deployment and gitops:deployment:render', async () => {
    const fromCli = tree(await cli('render-deployment', '--commit', '439ac5d'));
    const workspace = exampleWorkspace();
    await runAction(
      createRenderDeploymentAction(),
      { path: '.', commit: '439ac5d', targetPath: 'out/objects.yaml' },
      workspace,
    );
    expect(Object.keys(fromCli)).toEqual(['objects.yaml']);
    expect(
      fs.readFileSync(path.join(workspace, 'out/objects.yaml'), 'utf8'),
    ).toBe(fromCli['objects.yaml']);
    expect(fromCli['objects.yaml']).toContain('kind: Rollout');
  });

  it('generate-monitoring and gitops:monitoring:generate', async () => {
    const fromCli = tree(await cli('generate-monitoring'));
    const workspace = exampleWorkspace();
    await runAction(
      createGenerateMonitoringAction(),
      { path: '.', targetPath: 'out' },
      workspace,
    );
    expect(tree(path.join(workspace, 'out'))).toEqual(fromCli);
    expect(Object.keys(fromCli)).toContain('prometheus/rules.yaml');
  });
});
