import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { GitRepositoryStore } from '@gitops/plugin-githost-node';
import { scaffolderModuleGithost } from './module';

describe('scaffolderModuleGithost', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('registers publish:githost, publishing into githost.root', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'githost-module-'));
    dirs.push(tmp);
    const root = path.join(tmp, 'git');
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...a: TemplateAction<any, any, any>[]) =>
              actions.push(...a),
          },
        ],
      ],
      features: [
        scaffolderModuleGithost,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            githost: { root },
          },
        }),
      ],
    });
    expect(actions.map(a => a.id)).toEqual(['publish:githost']);

    const workspacePath = path.join(tmp, 'workspace');
    fs.mkdirSync(workspacePath);
    fs.writeFileSync(
      path.join(workspacePath, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    const ctx = createMockActionContext({
      input: { repoUrl: 'localhost:7007?owner=team-a&repo=svc' },
      workspacePath,
    });
    await actions[0].handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      'http://localhost:7007/api/githost/team-a/svc.git',
    );
    const file = await new GitRepositoryStore({ root }).readFile(
      'team-a',
      'svc',
      'master',
      'catalog-info.yaml',
    );
    expect(file.content.toString()).toBe('kind: Component\n');
  }, 60_000);
});
