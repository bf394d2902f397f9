import type { Entity } from '@backstage/catalog-model';
import type {
  LogRange,
  RunDetail,
  RunSummary,
} from '@gitops/plugin-pipelines-common';
import type { ExpandedPipeline, PipelinesApi } from '../api';

export const RUN_ID = '6f1c1f0e-8f5e-4d8e-9a55-0d6a1e2b7c01';
export const STEP_IDS = {
  install: '0a9e2c1d-0000-4000-8000-000000000001',
  test: '0a9e2c1d-0000-4000-8000-000000000002',
  publish: '0a9e2c1d-0000-4000-8000-000000000003',
};

export function component(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders',
      namespace: 'default',
      annotations: {
        'gitops.io/descriptors': 'build-info.yaml,catalog-info.yaml',
        'gitops.io/pipelines': 'master,review',
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

export const summary = (overrides: Partial<RunSummary> = {}): RunSummary => ({
  id: RUN_ID,
  entityRef: 'component:default/orders',
  pipeline: 'master',
  status: 'failed',
  trigger: {
    kind: 'push',
    ref: 'master',
    sha: '3f2a9c4e1b7d8a0f5e6c2b1a9d8e7f6a5b4c3d2e',
    message: 'Add the refunds endpoint\n\nWith tests.',
    author: { name: 'Ada Lovelace', email: 'ada@example.com' },
    deliveryId: 'd-1',
  },
  executor: 'local',
  createdAt: '2026-12-01T10:00:00.000Z',
  startedAt: '2026-12-01T10:00:01.000Z',
  finishedAt: '2026-12-01T10:02:31.000Z',
  durationMs: 150_000,
  ...overrides,
});

export const failedRun = (overrides: Partial<RunDetail> = {}): RunDetail => ({
  ...summary(),
  origin: { template: 'nodeService', options: { nodeVersion: 22 } },
  stages: [
    {
      name: 'build',
      status: 'failed',
      tasks: [
        {
          name: 'node',
          status: 'failed',
          steps: [
            {
              id: STEP_IDS.install,
              index: 0,
              action: 'action-containers/node22:latest',
              args: ['npm', 'ci'],
              status: 'succeeded',
              startedAt: '2026-12-01T10:00:01.000Z',
              finishedAt: '2026-12-01T10:00:41.000Z',
              exitCode: 0,
              logBytes: 20,
            },
            {
              id: STEP_IDS.test,
              index: 1,
              action: 'action-containers/node22:latest',
              args: ['npm', 'test'],
              status: 'failed',
              startedAt: '2026-12-01T10:00:41.000Z',
              finishedAt: '2026-12-01T10:02:31.000Z',
              exitCode: 1,
              message: 'exited with code 1',
              logBytes: 60,
            },
            {
              id: STEP_IDS.publish,
              index: 2,
              action: 'action-containers/image-publish:latest',
              args: [],
              status: 'skipped',
              logBytes: 0,
            },
          ],
        },
      ],
    },
  ],
  tests: {
    passed: 11,
    failed: 1,
    skipped: 0,
    failures: [
      {
        suite: 'refunds',
        name: 'refuses a refund above the order total',
        message: 'Expected 400, received 201',
      },
    ],
  },
  ...overrides,
});

export const logs: Record<string, string> = {
  [STEP_IDS.install]: 'added 312 packages\n',
  [STEP_IDS.test]: 'not ok 12 - refuses a refund above the order total\n',
};

export function logRange(stepId: string, offset = 0): LogRange {
  const text = (logs[stepId] ?? '').slice(offset);
  return {
    stepId,
    offset,
    text,
    nextOffset: offset + text.length,
    complete: true,
    truncated: false,
  };
}

export const expansion = (
  overrides: Partial<ExpandedPipeline> = {},
): ExpandedPipeline => ({
  ref: 'master',
  sha: '3f2a9c4e1b7d8a0f5e6c2b1a9d8e7f6a5b4c3d2e',
  origin: { template: 'nodeService', options: { nodeVersion: 22 } },
  pipelines: [{ pipeline: 'master' }, { pipeline: 'review' }],
  yaml: 'version: "2"\npipelines:\n  - pipeline: master\n',
  githubActions: 'name: master\non: push\n',
  argoWorkflows: 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n',
  problems: [],
  ...overrides,
});

/** A PipelinesApi whose every method is a jest mock over the fixtures. */
export function mockPipelinesApi(
  overrides: Partial<Record<keyof PipelinesApi, jest.Mock>> = {},
): { [K in keyof PipelinesApi]: jest.Mock } {
  return {
    listRuns: jest.fn(async () => ({ items: [summary()], totalCount: 1 })),
    getRun: jest.fn(async () => failedRun()),
    startRun: jest.fn(async () => summary({ id: 'new', status: 'queued' })),
    rerun: jest.fn(async () => summary({ id: 'new', status: 'queued' })),
    cancel: jest.fn(async () => summary({ status: 'cancelled' })),
    getStepLog: jest.fn(
      async (_run: string, stepId: string, range?: { offset?: number }) =>
        logRange(stepId, range?.offset ?? 0),
    ),
    followStepLog: jest.fn(() => ({ close: jest.fn() })),
    getExpandedPipeline: jest.fn(async () => expansion()),
    ...overrides,
  };
}
