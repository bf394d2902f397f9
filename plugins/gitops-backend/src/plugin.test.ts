import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  ActionsService,
  actionsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { JsonObject } from '@backstage/types';
import {
  loadRepository,
  renderRepositoryDeployment,
} from '@gitops/descriptors-node';
import { deploymentFiles } from '@gitops/plugin-deployments-common';
import gitopsPlugin from './index';

const exampleApp = path.resolve(__dirname, '../../../examples/example-app');

/** example-app's files, as an MCP client sends them. */
function exampleFiles(): { path: string; content: string }[] {
  const names = [
    'catalog-info.yaml',
    'build-info.yaml',
    'deployment-info.yaml',
    'monitoring-info.yaml',
    ...fs
      .readdirSync(path.join(exampleApp, 'kubernetes'))
      .map(name => `kubernetes/${name}`),
  ];
  return names.map(name => ({
    path: name,
    content: fs.readFileSync(path.join(exampleApp, name), 'utf8'),
  }));
}

function replaceFile(
  files: { path: string; content: string }[],
  name: string,
  content: string,
) {
  return files.map(f => (f.path === name ? { path: name, content } : f));
}

/** The example component as the catalog holds it, its owner changed. */
const catalogComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'example-app', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team-b',
    lifecycle: 'production',
  },
  relations: [],
};

const caller = mockCredentials.user('user:default/developer');

/**
 * A backend with the real actions registry and actions service, the
 * catalog mocked, and the actions service handed out the way the MCP
 * actions plugin receives it.
 */
async function startBackend(options: { pluginSources?: string[] } = {}) {
  const catalog = catalogServiceMock.mock({
    getEntityByRef: jest.fn(async () => undefined),
    getEntitiesByRefs: jest.fn(async () => ({ items: [] })),
  });
  let actions: ActionsService | undefined;
  const mcpLike = createBackendPlugin({
    pluginId: 'caller',
    register(env) {
      env.registerInit({
        deps: { service: actionsServiceRef },
        async init({ service }) {
          actions = service;
        },
      });
    },
  });
  await startTestBackend({
    features: [
      gitopsPlugin,
      mcpLike,
      actionsRegistryServiceFactory,
      actionsServiceFactory,
      catalog.factory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            actions: { pluginSources: options.pluginSources ?? ['gitops'] },
          },
        },
      }),
    ],
  });
  const invoke = async (id: string, input: JsonObject) =>
    (await actions!.invoke({ id, input, credentials: caller })).output as any;
  return { actions: actions!, catalog, invoke };
}

describe('gitops actions', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    backend = await startBackend();
  });
  beforeEach(() => {
    backend.catalog.getEntityByRef.mockReset();
    backend.catalog.getEntitiesByRefs.mockReset();
  });

  it('offers the four actions, read-only, to callers of the actions service', async () => {
    const { actions } = await backend.actions.list({ credentials: caller });
    expect(
      actions
        .filter(a => a.pluginId === 'gitops')
        .map(a => [a.id, a.attributes]),
    ).toEqual(
      [
        'gitops:validate-descriptors',
        'gitops:expand-pipeline',
        'gitops:render-deployment',
        'gitops:generate-monitoring',
      ].map(id => [
        id,
        { readOnly: true, idempotent: true, destructive: false },
      ]),
    );
  });

  it("expands example-app's pipeline, called through the actions service", async () => {
    const output = await backend.invoke('gitops:expand-pipeline', {
      files: exampleFiles(),
    });
    expect(output.ok).toBe(true);
    expect(output.pipelineNames).toEqual(['Review build', 'Master build']);
    expect(output.files.map((f: { path: string }) => f.path)).toEqual([
      'pipeline.yaml',
    ]);
    const pipeline = parse(output.files[0].content);
    expect(
      pipeline.pipelines.map((p: { pipeline: string }) => p.pipeline),
    ).toEqual(['Review build', 'Master build']);
  });

  it('writes GitHub Actions workflows when asked for that format', async () => {
    const output = await backend.invoke('gitops:expand-pipeline', {
      files: exampleFiles(),
      format: 'github-actions',
    });
    expect(output.files.map((f: { path: string }) => f.path)).toEqual([
      '.github/workflows/master-build.yaml',
      '.github/workflows/review-build.yaml',
    ]);
  });

  it('answers a broken build-info.yaml with the positioned problem', async () => {
    const output = await backend.invoke('gitops:validate-descriptors', {
      files: replaceFile(
        exampleFiles(),
        'build-info.yaml',
        'version: 2\ntemplate:\n  type: cobol\n',
      ),
    });
    expect(output).toMatchObject({ valid: false, component: 'example-app' });
    expect(output.problems).toEqual([
      expect.objectContaining({
        file: 'build-info.yaml',
        line: 3,
        column: 9,
        message: expect.stringMatching(/unknown build template "cobol"/),
      }),
    ]);
  });

  it('renders the deployment for a commit: the files of the repository on disk', async () => {
    const output = await backend.invoke('gitops:render-deployment', {
      files: exampleFiles(),
      commit: '439ac5d',
    });
    expect(output.problems).toEqual([]);
    expect(output.objects).toEqual(
      expect.arrayContaining([
        'Namespace/example-app',
        'Rollout/example-app/example-app',
      ]),
    );
    const fromDisk = renderRepositoryDeployment(
      await loadRepository(exampleApp),
      { commit: '439ac5d', environment: 'production' },
    );
    if (!fromDisk.ok) throw new Error('example-app does not render');
    expect(output.files).toEqual(deploymentFiles(fromDisk.value));
  });

  it('answers a generator stopped by bad input with the problems, not an error', async () => {
    const output = await backend.invoke('gitops:render-deployment', {
      files: exampleFiles(),
      commit: 'HEAD; rm -rf /',
    });
    expect(output).toMatchObject({ ok: false, files: [], objects: [] });
    expect(output.problems).toEqual([
      expect.objectContaining({
        path: 'commit',
        line: 1,
        column: 1,
        message: expect.stringMatching(/not a git commit SHA/),
      }),
    ]);
  });

  it("reads the component's context from the catalog with the caller's credentials", async () => {
    backend.catalog.getEntityByRef.mockResolvedValue(catalogComponent);
    const withoutCatalogInfo = exampleFiles().filter(
      f => f.path !== 'catalog-info.yaml',
    );
    const output = await backend.invoke('gitops:generate-monitoring', {
      files: withoutCatalogInfo,
      entityRef: 'example-app',
    });
    expect(output.problems).toEqual([]);
    expect(backend.catalog.getEntityByRef).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'example-app' },
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({
            userEntityRef: 'user:default/developer',
          }),
        }),
      },
    );
    const routes = output.files.find(
      (f: { path: string }) => f.path === 'alertmanager/routes.yaml',
    );
    expect(routes.content).toContain('team-b');
    expect(routes.content).not.toContain('team-a');
  });

  it('says so when the caller cannot see the entity', async () => {
    backend.catalog.getEntityByRef.mockResolvedValue(undefined);
    await expect(
      backend.invoke('gitops:expand-pipeline', {
        files: exampleFiles(),
        entityRef: 'component:default/secret-app',
      }),
    ).rejects.toMatchObject({
      cause: {
        name: 'NotFoundError',
        message:
          'component:default/secret-app is not in the catalog, or you are not allowed to read it',
      },
    });
  });
});

describe('backend.actions.pluginSources', () => {
  it('hides the actions when it does not list gitops', async () => {
    const { actions } = await startBackend({ pluginSources: ['catalog'] });
    await expect(
      actions.invoke({
        id: 'gitops:validate-descriptors',
        input: { files: exampleFiles() },
        credentials: caller,
      }),
    ).rejects.toMatchObject({ cause: { name: 'NotFoundError' } });
  });
});

describe('through the MCP actions plugin', () => {
  it("answers an MCP client's tools/call with the generated files", async () => {
    const backend = await startTestBackend({
      features: [
        gitopsPlugin,
        mcpActionsPlugin,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: { backend: { actions: { pluginSources: ['gitops'] } } },
        }),
      ],
    });
    const response = await fetch(
      `http://localhost:${backend.server.port()}/api/mcp-actions/v1`,
      {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.user.header('user:default/developer'),
          Accept: 'application/json, text/event-stream',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {
            name: 'gitops.expand-pipeline',
            arguments: { files: exampleFiles(), format: 'argo-workflows' },
          },
        }),
      },
    );
    expect(response.status).toBe(200);
    // The streamable HTTP transport answers as one server-sent event.
    const data = (await response.text())
      .split('\n')
      .find(line => line.startsWith('data: '));
    const { result } = JSON.parse(data!.slice('data: '.length));
    expect(result.isError).toBeFalsy();
    expect(
      result.structuredContent.files.map((f: { path: string }) => f.path),
    ).toEqual(['argo/master-build.yaml', 'argo/review-build.yaml']);
  });
});
