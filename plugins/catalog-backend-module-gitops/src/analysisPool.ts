import os from 'node:os';
import {
  isMainThread,
  MessagePort,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Duration } from '@gitops/descriptors-common';
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

/** How long one analysis may run on a worker by default. */
export const DEFAULT_ANALYSIS_TIMEOUT = Duration.seconds(5);

/**
 * An analysis that a worker did not answer: it ran past the timeout, or the
 * worker died under it. The message says which, for the entity's error.
 */
export class AnalysisWorkerError extends Error {
  name = 'AnalysisWorkerError';
  constructor(readonly reason: 'timeout' | 'crash', message: string) {
    super(message);
  }
}

const WORKER_MARKER = 'gitopsDescriptorAnalysis';

type Request = { id: number; input: AnalysisInput };
type Reply =
  | { ready: true }
  | { id: number; output: AnalysisOutput }
  | { id: number; error: string; readError: boolean };

/**
 * The worker's side: answers each request posted to `port` with `analyse`'s
 * result, after saying it is ready (so that the time a worker takes to load
 * never counts against a request's timeout).
 */
export function serveAnalyses(
  port: MessagePort,
  analyse: (input: AnalysisInput) => Promise<AnalysisOutput> = runAnalysis,
): void {
  port.on('message', ({ id, input }: Request) => {
    analyse(input).then(
      output => port.postMessage({ id, output } satisfies Reply),
      error =>
        port.postMessage({
          id,
          error: error instanceof Error ? error.message : String(error),
          readError: error instanceof DescriptorReadError,
        } satisfies Reply),
    );
  });
  port.postMessage({ ready: true } satisfies Reply);
}

// This module is also the workers' entry point (it is emitted by the build
// like any other module, and loads the same analysis code). The marker names
// the entry, so that a substitute entry importing this module (tests) is
// not served twice.
if (!isMainThread && workerData?.[WORKER_MARKER] === __filename && parentPort) {
  serveAnalyses(parentPort);
}

/** Options a worker needs to load `entry` from TypeScript sources. */
function workerExecArgv(entry: string): string[] | undefined {
  if (!/\.tsx?$/.test(entry)) return undefined;
  const transform = '@backstage/cli-node/config/nodeTransform.cjs';
  if (process.execArgv.some(a => a.includes('nodeTransform'))) return undefined;
  // Running from sources outside the Backstage CLI (Jest): the same
  // transform the CLI's backend runner registers.
  return [...process.execArgv, '--require', require.resolve(transform)];
}

interface Job {
  id: number;
  input: AnalysisInput;
  resolve(output: AnalysisOutput): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  /** Loaded and listening: jobs are only handed to ready workers. */
  ready: boolean;
  /** The one job it runs, and the timer that gives up on it. */
  job?: { job: Job; timer: NodeJS.Timeout };
}

/** Options of {@link WorkerPoolAnalyzer}. */
export interface WorkerPoolOptions {
  /** At most this many workers. */
  readonly size: number;
  readonly logger: LoggerService;
  /**
   * How long one analysis may run before its worker is terminated and the
   * analysis answered with a timeout.
   * @defaultValue 5s
   */
  readonly timeout?: Duration;
  /**
   * The module workers load. Tests substitute one that hangs or crashes on
   * purpose (it calls {@link serveAnalyses}).
   * @defaultValue this module
   */
  readonly entry?: string;
}

/**
 * Analyses components on worker threads, so that reading and parsing YAML
 * never holds the catalog's event loop: the catalog keeps writing and
 * stitching while the descriptors of the next components are read and
 * parsed on other cores.
 *
 * Each worker runs one analysis at a time, under a timeout. A worker that
 * runs past it is terminated, one that dies is dropped; either way only the
 * analysis it was running fails (an {@link AnalysisWorkerError}, which the
 * processor turns into an error on that entity), and the next analysis
 * starts a fresh worker. Nothing is ever run again on the catalog's thread:
 * a descriptor that hangs a worker would hang the catalog there.
 */
export class WorkerPoolAnalyzer implements DescriptorAnalyzer {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  /** Retired workers still shutting down, which close() waits for. */
  private readonly stopping = new Set<Promise<unknown>>();
  private readonly entry: string;
  private readonly timeout: Duration;
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.entry = options.entry ?? __filename;
    this.timeout = options.timeout ?? DEFAULT_ANALYSIS_TIMEOUT;
  }

  run(input: AnalysisInput): Promise<AnalysisOutput> {
    if (this.closed) {
      return Promise.reject(new Error('the analysis pool is closed'));
    }
    return new Promise<AnalysisOutput>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    const closing = new Error('the analysis pool is closed');
    for (const entry of workers) {
      if (entry.job) {
        clearTimeout(entry.job.timer);
        entry.job.job.reject(closing);
      }
    }
    for (const job of this.queue.splice(0)) job.reject(closing);
    await Promise.all([
      ...workers.map(w => w.worker.terminate()),
      ...this.stopping,
    ]);
  }

  /**
   * Hands queued jobs to idle ready workers, and starts workers for the
   * rest while below the pool size (unless told not to).
   */
  private dispatch(startWorkers = true): void {
    for (const entry of this.workers) {
      if (this.queue.length === 0) return;
      if (entry.ready && !entry.job) this.assign(entry, this.queue.shift()!);
    }
    if (!startWorkers) return;
    const starting = this.workers.filter(w => !w.ready).length;
    let wanted = this.queue.length - starting;
    while (wanted-- > 0 && this.workers.length < this.options.size) {
      this.start();
    }
  }

  private assign(entry: PoolWorker, job: Job): void {
    const timer = setTimeout(() => {
      this.retire(
        entry,
        new AnalysisWorkerError(
          'timeout',
          `analysis took longer than ${this.timeout}`,
        ),
      );
    }, this.timeout.seconds * 1000);
    entry.job = { job, timer };
    entry.worker.postMessage({
      id: job.id,
      input: job.input,
    } satisfies Request);
  }

  private start(): void {
    const worker = new Worker(this.entry, {
      workerData: { [WORKER_MARKER]: this.entry },
      execArgv: workerExecArgv(this.entry),
    });
    // Idle workers never keep the backend from exiting (a running job's
    // timer does, until it is answered).
    worker.unref();
    const entry: PoolWorker = { worker, ready: false };
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        entry.ready = true;
        this.dispatch();
        return;
      }
      const running = entry.job;
      if (!running || running.job.id !== reply.id) return;
      clearTimeout(running.timer);
      entry.job = undefined;
      if ('output' in reply) running.job.resolve(reply.output);
      else if (reply.readError)
        running.job.reject(new DescriptorReadError(reply.error));
      else running.job.reject(new Error(reply.error));
      this.dispatch();
    });
    worker.on('error', error => {
      this.options.logger.warn(
        `gitops: a descriptor analysis worker failed: ${error}`,
      );
      this.retire(
        entry,
        new AnalysisWorkerError('crash', 'the analysis worker crashed'),
        entry.ready ? undefined : toError(error),
      );
    });
    worker.on('exit', code => {
      this.retire(
        entry,
        new AnalysisWorkerError('crash', 'the analysis worker crashed'),
        entry.ready ? undefined : new Error(`exited with code ${code}`),
      );
    });
    this.workers.push(entry);
  }

  /**
   * Drops a worker (terminating it if it still runs) and fails the job it
   * ran. A worker that died before it was ready starts no other (the next
   * would most likely die the same way): the queue waits for the workers
   * that did start, or, when there are none, fails (the catalog retries
   * those entities at its next refresh).
   */
  private retire(
    entry: PoolWorker,
    jobError: AnalysisWorkerError,
    startError?: Error,
  ): void {
    const index = this.workers.indexOf(entry);
    if (index < 0) return; // already retired (error, then exit)
    this.workers.splice(index, 1);
    if (entry.job) {
      clearTimeout(entry.job.timer);
      entry.job.job.reject(jobError);
      entry.job = undefined;
    }
    if (jobError.reason === 'timeout') {
      this.options.logger.warn(
        `gitops: a descriptor analysis ran past ${this.timeout}; its worker is replaced`,
      );
    }
    const stopped = entry.worker.terminate().catch(() => undefined);
    this.stopping.add(stopped);
    stopped.finally(() => this.stopping.delete(stopped));
    if (this.closed) return;
    if (!startError) {
      this.dispatch();
    } else if (this.workers.length > 0) {
      // The other workers serve the queue; no new start now.
      this.dispatch(false);
    } else {
      const failed = new AnalysisWorkerError(
        'crash',
        `the analysis worker could not start: ${startError.message}`,
      );
      for (const job of this.queue.splice(0)) job.reject(failed);
    }
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
