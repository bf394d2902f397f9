import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  loadRepository,
  renderRepositoryDeployment,
} from '@gitops/descriptors-node';
import { deploymentFiles } from '@gitops/plugin-deployments-common';
import { createRenderDeploymentAction } from './renderDeployment';
import {
  exampleInputs,
  exampleWorkspace,
  runAction,
} from '../__testUtils__/actions';

describe('gitops:deployment:render', () => {
  const action = createRenderDeploymentAction();

  it.each(exampleInputs(action))('example: %s', async (_, input) => {
    const workspace = exampleWorkspace();
    const outputs = await runAction(action, input, workspace);
    expect(outputs.objects).toEqual(
      expect.arrayContaining([
        'Namespace/example-app',
        'Rollout/example-app/example-app',
        'Service/example-app/example-canary',
        'SQLInstance/example-app/example-app-db',
      ]),
    );
    const rollout = parseAllDocuments(outputs.manifests)
      .map(d => d.toJS())
      .find(o => o.kind === 'Rollout');
    expect(rollout.spec.template.spec.containers[0].image).toMatch(
      new RegExp(`example-app:${input.commit}$`),
    );
  });

  it('writes to targetPath the bytes of deploymentFiles, as the CLI does', async () => {
    const workspace = exampleWorkspace();
    const outputs = await runAction(
      action,
      { path: '.', commit: '439ac5d', targetPath: 'rendered/production.yaml' },
      workspace,
    );
    const written = fs.readFileSync(
      path.join(workspace, 'rendered/production.yaml'),
      'utf8',
    );
    expect(written).toBe(outputs.manifests);
    const rendered = renderRepositoryDeployment(
      await loadRepository(workspace),
      { commit: '439ac5d', environment: 'production' },
    );
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.problems));
    expect(written).toBe(deploymentFiles(rendered.value)[0].content);
  });

  it('reports a bad commit instead of rendering', async () => {
    await expect(
      runAction(
        action,
        { path: '.', commit: 'HEAD; rm -rf /' },
        exampleWorkspace(),
      ),
    ).rejects.toThrow(/commit/);
  });

  it('fails with the position of a canary Service named after the component', async () => {
    const workspace = exampleWorkspace();
    const file = path.join(workspace, 'deployment-info.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('canaryService: example-canary', 'canaryService: example-app'),
    );
    await expect(
      runAction(action, { path: '.', commit: '439ac5d' }, workspace),
    ).rejects.toThrow(
      /deployment-info\.yaml:9:22: canaryService example-app is the Service named after the component/,
    );
  });
});
