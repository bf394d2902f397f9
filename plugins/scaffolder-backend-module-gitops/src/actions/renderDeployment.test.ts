import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
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

  it('writes the manifests to targetPath inside the workspace', async () => {
    const workspace = exampleWorkspace();
    const outputs = await runAction(
      action,
      { path: '.', commit: '439ac5d', targetPath: 'rendered/production.yaml' },
      workspace,
    );
    expect(
      fs.readFileSync(path.join(workspace, 'rendered/production.yaml'), 'utf8'),
    ).toBe(outputs.manifests);
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

  it('fails with the position of a canary service that does not exist', async () => {
    const workspace = exampleWorkspace();
    const file = path.join(workspace, 'deployment-info.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('example-canary', 'missing-canary'),
    );
    await expect(
      runAction(action, { path: '.', commit: '439ac5d' }, workspace),
    ).rejects.toThrow(/deployment-info\.yaml:\d+:\d+: .*missing-canary/);
  });
});
