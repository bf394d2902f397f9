import fs from 'node:fs';
import path from 'node:path';
import { createValidateDescriptorsAction } from './validateDescriptors';
import {
  exampleInputs,
  exampleWorkspace,
  runAction,
} from '../__testUtils__/actions';

describe('gitops:descriptors:validate', () => {
  const action = createValidateDescriptorsAction();

  it.each(exampleInputs(action))('example: %s', async (_, input) => {
    const outputs = await runAction(action, input, exampleWorkspace());
    expect(outputs.component).toBe('example-app');
    expect(outputs.files).toContain('monitoring-info.yaml');
  });

  it('fails the step with every problem as file:line:column', async () => {
    const workspace = exampleWorkspace();
    fs.writeFileSync(
      path.join(workspace, 'build-info.yaml'),
      'version: 2\ntemplate:\n  type: cobol\n',
    );
    fs.writeFileSync(path.join(workspace, 'kubernetes/bad.yaml'), 'a: [\n');
    await expect(runAction(action, { path: '.' }, workspace)).rejects.toThrow(
      /2 problem\(s\) in \.:\nbuild-info\.yaml:3:9: unknown build template "cobol".*\nkubernetes\/bad\.yaml:2:1: /s,
    );
  });

  it('refuses a path outside the workspace', async () => {
    await expect(
      runAction(action, { path: '../../etc' }, exampleWorkspace()),
    ).rejects.toThrow(/outside|not allowed/i);
  });
});
