import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
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

  it('registers publish:githost, publishing into githost.root for the platform group', async () => {
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
            gitops: {
              permissions: { platformGroup: 'group:default/platform' },
            },
          },
        }),
        // jane is in the platform group; anyone else only owns themselves.
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            async getUserInfo(credentials: any) {
              const ref: string = credentials.principal.userEntityRef;
              return {
                userEntityRef: ref,
                ownershipEntityRefs:
                  ref === 'user:default/jane'
                    ? [ref, 'group:default/platform']
                    : [ref],
              };
            },
          }),
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
    const context = (user: string) => ({
      ...createMockActionContext({
        input: { repoUrl: 'localhost:7007?owner=team-a&repo=svc' },
        workspacePath,
      }),
      getInitiatorCredentials: async () => mockCredentials.user(user),
    });
    // Not a member of team-a, nor of the platform group.
    await expect(
      actions[0].handler(context('user:default/nobody')),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const ctx = context('user:default/jane');
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
