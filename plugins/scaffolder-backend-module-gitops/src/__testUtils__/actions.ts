import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';

/** The example-app fixture, copied into a fresh workspace. */
export function exampleWorkspace(): string {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-action-'));
  fs.cpSync(
    path.resolve(__dirname, '../../../../examples/example-app'),
    workspace,
    {
      recursive: true,
    },
  );
  return workspace;
}

/** Runs an action the way the scaffolder would, collecting its outputs. */
export async function runAction(
  action: TemplateAction<any, any, any>,
  input: JsonObject,
  workspacePath: string,
  extra: { isDryRun?: boolean } = {},
) {
  // The mock takes no isDryRun option; the scaffolder sets it on the context.
  const ctx = {
    ...createMockActionContext({ input, workspacePath }),
    ...extra,
  };
  await action.handler(ctx);
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([name, value]) => [name, value]),
  ) as Record<string, any>;
}

/** Each example's first step input, as the scaffolder would pass it. */
export function exampleInputs(action: TemplateAction<any, any, any>) {
  return (action.examples ?? []).map(e => {
    const step = yaml.parse(e.example).steps[0];
    expect(step.action).toBe(action.id);
    return [e.description, step.input as JsonObject] as const;
  });
}
