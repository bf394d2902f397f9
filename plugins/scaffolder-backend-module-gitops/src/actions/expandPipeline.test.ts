import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { validateWorkflow } from '@action-validator/core';
import {
  expandRepositoryPipeline,
  loadRepository,
} from '@gitops/descriptors-node';
import { PipelineFormat, pipelineFiles } from '@gitops/plugin-pipelines-common';
import { createExpandPipelineAction } from './expandPipeline';
import {
  exampleInputs,
  exampleWorkspace,
  runAction,
} from '../__testUtils__/actions';

/** The files of example-app in a format, as the engine serialises them. */
async function engineFiles(workspace: string, format: PipelineFormat) {
  const repo = await loadRepository(workspace);
  const result = expandRepositoryPipeline(repo);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return pipelineFiles(result.value, format, { component: 'example-app' });
}

describe('gitops:pipeline:expand', () => {
  const action = createExpandPipelineAction();

  it.each(exampleInputs(action))('example: %s', async (_, input) => {
    const outputs = await runAction(action, input, exampleWorkspace());
    expect(outputs.pipelineNames).toEqual(['Review build', 'Master build']);
    expect(yaml.parse(outputs.pipeline as string).version).toBe('2');
  });

  it("outputs the pipeline as the engine's Tingle file, byte for byte", async () => {
    const workspace = exampleWorkspace();
    const outputs = await runAction(action, { path: '.' }, workspace);
    const [tingle] = await engineFiles(workspace, 'tingle');
    expect(outputs.pipeline).toBe(tingle.content);
    expect(outputs.files).toEqual([]);
  });

  it('writes GitHub Actions workflows that pass the workflow schema', async () => {
    const workspace = exampleWorkspace();
    const outputs = await runAction(
      action,
      { path: '.', writeAs: 'github-actions' },
      workspace,
    );
    expect(outputs.files).toEqual([
      '.github/workflows/master-build.yaml',
      '.github/workflows/review-build.yaml',
    ]);
    for (const file of outputs.files as string[]) {
      const text = fs.readFileSync(path.join(workspace, file), 'utf8');
      expect(validateWorkflow(text).errors).toEqual([]);
    }
  });

  it.each(['github-actions', 'argo-workflows'] as const)(
    'writes the %s files of pipelineFiles, byte for byte',
    async format => {
      const workspace = exampleWorkspace();
      const outputs = await runAction(
        action,
        { path: '.', writeAs: format },
        workspace,
      );
      const expected = await engineFiles(workspace, format);
      expect(outputs.files).toEqual(expected.map(f => f.path));
      for (const file of expected) {
        expect(fs.readFileSync(path.join(workspace, file.path), 'utf8')).toBe(
          file.content,
        );
      }
    },
  );

  it('writes Argo Workflows in the component namespace', async () => {
    const workspace = exampleWorkspace();
    const outputs = await runAction(
      action,
      { path: '.', writeAs: 'argo-workflows' },
      workspace,
    );
    for (const file of outputs.files as string[]) {
      const workflow = yaml.parse(
        fs.readFileSync(path.join(workspace, file), 'utf8'),
      );
      expect(workflow).toMatchObject({
        kind: 'Workflow',
        metadata: { namespace: 'example-app' },
      });
    }
  });

  it('writes nothing on a dry run', async () => {
    const workspace = exampleWorkspace();
    const outputs = await runAction(
      action,
      { path: '.', writeAs: 'argo-workflows' },
      workspace,
      { isDryRun: true },
    );
    expect(outputs.files).toEqual([
      'argo/master-build.yaml',
      'argo/review-build.yaml',
    ]);
    expect(fs.existsSync(path.join(workspace, 'argo'))).toBe(false);
  });

  it('fails with the position of the problem', async () => {
    const workspace = exampleWorkspace();
    fs.writeFileSync(
      path.join(workspace, 'build-info.yaml'),
      'version: 2\ntemplate:\n  type: javaBackend\nextend:\n  stages:\n  - after: Lint\n    stage: { stage: X, tasks: [{ task: x, steps: [{ action: a/b:1 }] }] }\n',
    );
    await expect(runAction(action, { path: '.' }, workspace)).rejects.toThrow(
      /build-info\.yaml:6:12: pipeline "Review build" has no stage named "Lint"/,
    );
  });
});
