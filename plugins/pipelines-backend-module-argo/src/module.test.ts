import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  PipelineExecutor,
  pipelinesExecutorsExtensionPoint,
} from '@gitops/plugin-pipelines-node';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { pipelinesModuleArgo } from './module';

/** Stands in for the pipelines backend: collects the executors added. */
function fakePipelinesPlugin(added: PipelineExecutor[]) {
  return createBackendPlugin({
    pluginId: 'pipelines',
    register(env) {
      env.registerExtensionPoint(pipelinesExecutorsExtensionPoint, {
        addExecutor: executor => added.push(executor),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('pipelinesModuleArgo', () => {
  it('adds the argo executor when pipelines.argo is configured', async () => {
    const added: PipelineExecutor[] = [];
    await startTestBackend({
      features: [
        fakePipelinesPlugin(added),
        pipelinesModuleArgo,
        mockServices.rootConfig.factory({
          data: {
            pipelines: {
              executor: 'argo',
              argo: {
                url: 'https://k8s.example.com',
                serviceAccountToken: 't',
              },
            },
          },
        }),
      ],
    });
    expect(added.map(e => e.id)).toEqual(['argo']);
  });

  it('adds nothing without pipelines.argo', async () => {
    const added: PipelineExecutor[] = [];
    await startTestBackend({
      features: [fakePipelinesPlugin(added), pipelinesModuleArgo],
    });
    expect(added).toEqual([]);
  });

  it('stops the backend when argo is chosen but not configured', async () => {
    await expect(
      startTestBackend({
        features: [
          fakePipelinesPlugin([]),
          pipelinesModuleArgo,
          mockServices.rootConfig.factory({
            data: { pipelines: { executor: 'argo' } },
          }),
        ],
      }),
    ).rejects.toThrow(
      'pipelines.executor is argo but pipelines.argo is not configured',
    );
  });
});
