import os from 'node:os';
import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AnalysisInput,
  AnalysisOutput,
  DescriptorReadError,
  runAnalysis,
} from './runAnalysis';

/** Runs {@link runAnalysis} somewhere. */
export interface DescriptorAnalyzer {
  run(input: AnalysisInput): Promise<AnalysisOutput>;
  close(): Promise<void>;
}

/** On the calling thread: what tests and single-core machines use. */
export const inlineAnalyzer: DescriptorAnalyzer = {
  run: runAnalysis,
  async close() {},
};

/**
 * The default number of analysis workers: one per core the catalog's own
 * event loop does not use, at most 4; none on a single core.
 */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(4, os.availableParallelism() - 1));
}

const WORKER_MARKER = 'gitopsDescriptorAnalysis';

type Request = { id: number; input: AnalysisInput };
type Reply =
  | { id: number; output: AnalysisOutput }
  | { id: number; error: string; readError: boolean };

// This module is also the workers' entry point (it is emitted by the build
// like any other module, and loads the same analysis code).
if (!isMainThread && workerData?.[WORKER_MARKER] && parentPort) {
  const port = parentPort;
  port.on('message', ({ id, input }: Request) => {
    runAnalysis(input).then(
      output => port.postMessage({ id, output } satisfies Reply),
      error =>
        port.postMessage({
          id,
          error: error instanceof Error ? error.message : String(error),
          readError: error instanceof DescriptorReadError,
        } satisfies Reply),
    );
  });
}

/** Options a worker needs to load this module from TypeScript sources. */
function workerExecArgv(): string[] | undefined {
  if (!/\.tsx?$/.test(__filename)) return undefined;
  const transform = '@backstage/cli-node/config/nodeTransform.cjs';
  if (process.execArgv.some(a => a.includes('nodeTransform'))) return undefined;
  // Running from sources outside the Backstage CLI (Jest): the same
  // transform the CLI's backend runner registers.
  return [...process.execArgv, '--require', require.resolve(transform)];
}

interface PoolWorker {
  worker: Worker;
  pending: Map<
    number,
    { resolve(output: AnalysisOutput): void; reject(e: Error): void }
  >;
}

/**
 * Analyses components on worker threads, so that reading and parsing YAML
 * never holds the catalog's event loop: the catalog keeps writing and
 * stitching while the descriptors of the next components are read and
 * parsed on other cores.
 * A worker that fails is replaced; the requests it held are analysed on the
 * calling thread instead, so no result is lost.
 */
export class WorkerPoolAnalyzer implements DescriptorAnalyzer {
  private readonly workers: PoolWorker[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly options: { size: number; logger: LoggerService },
  ) {}

  private start(): PoolWorker {
    const worker = new Worker(__filename, {
      workerData: { [WORKER_MARKER]: true },
      execArgv: workerExecArgv(),
    });
    // Idle workers never keep the backend from exiting.
    worker.unref();
    const entry: PoolWorker = { worker, pending: new Map() };
    worker.on('message', (reply: Reply) => {
      const task = entry.pending.get(reply.id);
      if (!task) return;
      entry.pending.delete(reply.id);
      if ('output' in reply) task.resolve(reply.output);
      else if (reply.readError)
        task.reject(new DescriptorReadError(reply.error));
      else task.reject(new Error(reply.error));
    });
    const fail = (error: Error) => {
      const index = this.workers.indexOf(entry);
      if (index >= 0) this.workers.splice(index, 1);
      for (const task of entry.pending.values()) task.reject(error);
      entry.pending.clear();
    };
    worker.on('error', error => {
      this.options.logger.warn(
        `gitops: a descriptor analysis worker failed: ${error}`,
      );
      fail(error instanceof Error ? error : new Error(String(error)));
    });
    worker.on('exit', code => {
      if (!this.closed) fail(new Error(`analysis worker exited (${code})`));
    });
    this.workers.push(entry);
    return entry;
  }

  /** The least busy worker, starting one while below the pool size. */
  private pick(): PoolWorker {
    const idle = this.workers.find(w => w.pending.size === 0);
    if (idle) return idle;
    if (this.workers.length < this.options.size) return this.start();
    return this.workers.reduce((a, b) =>
      b.pending.size < a.pending.size ? b : a,
    );
  }

  async run(input: AnalysisInput): Promise<AnalysisOutput> {
    if (this.closed) throw new Error('the analysis pool is closed');
    const entry = this.pick();
    const id = this.nextId++;
    try {
      return await new Promise<AnalysisOutput>((resolve, reject) => {
        entry.pending.set(id, { resolve, reject });
        entry.worker.postMessage({ id, input } satisfies Request);
      });
    } catch (error) {
      if (this.closed || error instanceof DescriptorReadError) throw error;
      // The worker died or could not analyse: do it here, once.
      return runAnalysis(input);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map(w => w.worker.terminate()));
    this.workers.length = 0;
  }
}
