import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { inlineAnalyzer, WorkerPoolAnalyzer } from './analysisPool';
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

  it('loses no request when a worker dies, and starts another', async () => {
    const input = { component: component('example-app'), fileTarget: target };
    const expected = await inlineAnalyzer.run(input);
    await pool.run(input); // a worker is running
    const workers = (pool as any).workers as { worker: { terminate(): any } }[];
    const pending = pool.run(input);
    await workers[0].worker.terminate();
    expect(await pending).toEqual(expected);
    expect(await pool.run(input)).toEqual(expected);
  }, 60_000);

  it('refuses work once closed', async () => {
    await pool.close();
    await expect(
      pool.run({ component: component('x'), fileTarget: target }),
    ).rejects.toThrow('closed');
  });
});
