import type { RunReporter, StepOutcome } from '@gitops/plugin-pipelines-node';
import type { RunStore } from '../database/RunStore';
import type { LiveLogs } from './LiveLogs';

/** Limits of the stored logs. */
export interface LogLimits {
  /** Bytes kept per step; the rest is dropped after one marker line. */
  maxBytesPerStep: number;
  /** Bytes buffered per step before a write to the database. */
  chunkBytes: number;
  /** Longest time output waits in the buffer, in milliseconds. */
  flushMs: number;
}

/** @internal */
export const DEFAULT_LOG_LIMITS: LogLimits = {
  maxBytesPerStep: 16 * 1024 * 1024,
  chunkBytes: 512 * 1024,
  flushMs: 250,
};

const formatBytes = (n: number) =>
  n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MB` : `${n} bytes`;

class StepLog {
  #buffer: Buffer[] = [];
  #buffered = 0;
  #stored = 0;
  #dropped = false;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  /** Chunks handed to the database and not yet stored. */
  #inflight = 0;

  constructor(
    private readonly stepId: string,
    private readonly store: RunStore,
    private readonly limits: LogLimits,
    private readonly onError: (error: unknown) => void,
    private readonly live?: LiveLogs,
  ) {}

  async write(data: Buffer): Promise<void> {
    if (this.#dropped) return;
    const room = this.limits.maxBytesPerStep - this.#stored - this.#buffered;
    if (data.length > room) {
      if (room > 0) this.#push(data.subarray(0, room));
      this.#push(
        Buffer.from(
          `\n[log truncated: the step printed more than ${formatBytes(
            this.limits.maxBytesPerStep,
          )}; the rest of its output is not kept]\n`,
        ),
      );
      this.#dropped = true;
      this.live?.markTruncated(this.stepId);
      await this.flush(true);
      return;
    }
    this.#push(data);
    if (this.#buffered >= this.limits.chunkBytes) {
      // One chunk is written while the next fills; with two in flight the
      // caller waits for the database (backpressure), so at most about
      // three chunks of a step are in memory.
      const written = this.flush();
      if (this.#inflight > 1) await written;
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.flush().catch(this.onError);
      }, this.limits.flushMs);
    }
  }

  #push(data: Buffer) {
    // Followers on this replica see it at once; the store a chunk later.
    this.live?.append(this.stepId, this.#stored + this.#buffered, data);
    this.#buffer.push(data);
    this.#buffered += data.length;
  }

  /** Stores what is buffered; the step's length waits for its outcome. */
  async finish(): Promise<{ bytes: number; truncated: boolean }> {
    await this.flush(false, true);
    return { bytes: this.#stored, truncated: this.#dropped };
  }

  flush(truncated = false, lengthLater = false): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const data = Buffer.concat(this.#buffer);
    this.#buffer = [];
    this.#buffered = 0;
    const offset = this.#stored;
    this.#stored += data.length;
    if (!data.length && !truncated) return this.#writing;
    this.#inflight++;
    // Writes of one step stay in order; this reporter is the step's only
    // writer, so it knows where each chunk goes.
    this.#writing = this.#writing.then(async () => {
      try {
        await this.store.appendLogAt(this.stepId, offset, data, {
          truncated,
          lengthLater,
        });
      } finally {
        this.#inflight--;
      }
    });
    return this.#writing;
  }
}

/**
 * The reporter executors talk to: each call is stored before it returns;
 * logs are buffered per step in bounded chunks, capped per step, and
 * `log` waits for the database when the buffer is full, so a step printing
 * fast cannot grow the backend's memory.
 */
export class StoreReporter implements RunReporter {
  readonly #logs = new Map<string, StepLog>();

  constructor(
    private readonly options: {
      store: RunStore;
      limits: LogLimits;
      onStepChange: (
        stepId: string,
        status: StepOutcome['status'] | 'running',
      ) => void;
      onError: (error: unknown) => void;
      /** Where followers on this replica read the running steps' output. */
      live?: LiveLogs;
    },
  ) {}

  #log(stepId: string): StepLog {
    let log = this.#logs.get(stepId);
    if (!log) {
      log = new StepLog(
        stepId,
        this.options.store,
        this.options.limits,
        this.options.onError,
        this.options.live,
      );
      this.#logs.set(stepId, log);
    }
    return log;
  }

  async stepStarted(stepId: string): Promise<void> {
    await this.options.store.stepStarted(stepId);
    this.options.live?.open(stepId);
    this.options.onStepChange(stepId, 'running');
  }

  async log(stepId: string, data: Buffer | string): Promise<void> {
    await this.#log(stepId).write(
      typeof data === 'string' ? Buffer.from(data) : data,
    );
  }

  async stepFinished(stepId: string, outcome: StepOutcome): Promise<void> {
    const log = await this.#logs.get(stepId)?.finish();
    this.#logs.delete(stepId);
    await this.options.store.stepFinished(stepId, outcome, log);
    this.options.live?.close(stepId);
    this.options.onStepChange(stepId, outcome.status);
  }

  /** Stores what is still buffered (the run ends). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.#logs.values()].map(l => l.flush()));
    for (const stepId of this.#logs.keys()) this.options.live?.close(stepId);
  }
}
