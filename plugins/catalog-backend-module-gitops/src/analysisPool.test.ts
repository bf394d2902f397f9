import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { Duration } from '@gitops/descriptors-common';
import {
  AnalysisWorkerError,
  inlineAnalyzer,
  WorkerPoolAnalyzer,
} from './analysisPool';
import { DescriptorReadError } from './runAnalysis';

const exampleApp = path.resolve(__dirname, '../../../examples/example-app');
const target = path.join(exampleApp, 'catalog-info.yaml');

const component = (name: string, owner = 'team-a'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
});

describe('WorkerPoolAnalyzer', () => {
  let pool: WorkerPoolAnalyzer;
  beforeEach(() => {
    pool = new WorkerPoolAnalyzer({
      size: 2,
      logger: mockServices.logger.mock(),
    });
  });
  afterEach(() => pool.close());

  it('reads and analyses on worker threads what the calling thread would', async () => {
    const input = { component: component('example-app'), fileTarget: target };
    const [onWorker, inline] = await Promise.all([
      pool.run(input),
      inlineAnalyzer.run(input),
    ]);
    expect(onWorker).toEqual(inline);
    expect(onWorker.analysis?.annotations['gitops.io/build-template']).toBe(
      'javaBackend',
    );
    expect(onWorker.analysis?.resources.map(r => r.metadata.name)).toContain(
      'example-app-db',
    );
  }, 60_000);

  it('answers many requests at once, each with its own result', async () => {
    const owners = Array.from({ length: 24 }, (_, i) => `team-${i}`);
    const outputs = await Promise.all(
      owners.map(owner =>
        pool.run({
          component: component('example-app', owner),
          fileTarget: target,
        }),
      ),
    );
    expect(outputs.map(o => o.analysis?.resources[0].spec?.owner)).toEqual(
      owners,
    );
  }, 60_000);

  it('does not analyse again what the cached key says is unchanged', async () => {
    const input = { component: component('example-app'), fileTarget: target };
    const first = await pool.run(input);
    expect(await pool.run({ ...input, cachedKey: first.key })).toEqual({
      key: first.key,
    });
    // Another owner is another input.
    const moved = await pool.run({
      ...input,
      component: component('example-app', 'team-b'),
      cachedKey: first.key,
    });
    expect(moved.key).not.toBe(first.key);
    expect(moved.analysis).toBeDefined();
  }, 60_000);

  it('reports a location it cannot read as a read error', async () => {
    await expect(
      pool.run({
        component: component('gone'),
        fileTarget: '/nonexistent/gitops/catalog-info.yaml',
      }),
    ).rejects.toThrow(DescriptorReadError);
  }, 60_000);

  it('answers a request whose worker dies with a crash, and starts another', async () => {
    const input = { component: component('example-app'), fileTarget: target };
    const expected = await inlineAnalyzer.run(input);
    await pool.run(input); // a worker is running
    const workers = (pool as any).workers as { worker: { terminate(): any } }[];
    const pending = pool.run(input);
    await workers[0].worker.terminate();
    await expect(pending).rejects.toEqual(
      new AnalysisWorkerError('crash', 'the analysis worker crashed'),
    );
    expect(await pool.run(input)).toEqual(expected);
  }, 60_000);

  it('refuses work once closed', async () => {
    await pool.close();
    await expect(
      pool.run({ component: component('x'), fileTarget: target }),
    ).rejects.toThrow('closed');
  });
});

/** The pool with a worker entry that hangs or crashes on some components. */
describe('WorkerPoolAnalyzer with a descriptor that hangs or crashes its worker', () => {
  const entry = path.join(
    __dirname,
    '__fixtures__/misbehavingAnalysisWorker.ts',
  );
  const good = { component: component('example-app'), fileTarget: target };
  let pool: WorkerPoolAnalyzer;
  let expected: Awaited<ReturnType<typeof inlineAnalyzer.run>>;
  beforeAll(async () => {
    expected = await inlineAnalyzer.run(good);
  });
  beforeEach(async () => {
    pool = new WorkerPoolAnalyzer({
      size: 1,
      logger: mockServices.logger.mock(),
      timeout: Duration.seconds(1),
      entry,
    });
    // Loaded before the clock starts: loading from sources takes a while.
    await pool.run(good);
  }, 60_000);
  afterEach(() => pool.close());

  it('answers a hanging analysis with a timeout within the timeout, and the next ones', async () => {
    const started = Date.now();
    let answeredAfter = 0;
    const hung = pool
      .run({ component: component('hangs'), fileTarget: target })
      .finally(() => {
        answeredAfter = Date.now() - started;
      });
    // Queued behind the hanging one, on the pool's only worker.
    const next = pool.run(good);
    await expect(hung).rejects.toEqual(
      new AnalysisWorkerError('timeout', 'analysis took longer than 1s'),
    );
    // The timeout, plus room for this shared machine's event loop lag.
    expect(answeredAfter).toBeGreaterThanOrEqual(1000);
    expect(answeredAfter).toBeLessThan(5000);
    // On a fresh worker.
    expect(await next).toEqual(expected);
    expect(await pool.run(good)).toEqual(expected);
  }, 60_000);

  it('answers the analysis that crashes its worker with a crash, and recovers', async () => {
    await expect(
      pool.run({ component: component('crashes'), fileTarget: target }),
    ).rejects.toEqual(
      new AnalysisWorkerError('crash', 'the analysis worker crashed'),
    );
    expect(await pool.run(good)).toEqual(expected);
    expect(await pool.run(good)).toEqual(expected);
  }, 60_000);
});

describe('WorkerPoolAnalyzer whose workers cannot start', () => {
  it('fails the requests instead of starting workers forever', async () => {
    const pool = new WorkerPoolAnalyzer({
      size: 2,
      logger: mockServices.logger.mock(),
      entry: path.join(__dirname, '__fixtures__/brokenAnalysisWorker.ts'),
    });
    try {
      const input = { component: component('example-app'), fileTarget: target };
      const outcomes = await Promise.allSettled([
        pool.run(input),
        pool.run(input),
        pool.run(input),
      ]);
      expect(outcomes).toEqual(
        Array(3).fill({
          status: 'rejected',
          reason: expect.objectContaining({
            name: 'AnalysisWorkerError',
            reason: 'crash',
            message: expect.stringMatching(
              /^the analysis worker could not start: .*Cannot find module \.\/analyze/,
            ),
          }),
        }),
      );
      expect((pool as any).workers).toEqual([]);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
