import { ChildProcess, spawn } from 'node:child_process';
import { LAUNCHER_SOURCE } from './launcher';
import { bwrapArguments, SandboxSpec } from './sandbox';

/** How a sandboxed process ended. */
export interface ProcessResult {
  /** The command's exit status; undefined when it was killed. */
  exitCode?: number;
  timedOut: boolean;
  cancelled: boolean;
  /** Output beyond the cap was dropped. */
  truncated: boolean;
  /** The sandbox could not be started, or ended under the step. */
  spawnError?: string;
}

export interface RunLimits {
  timeoutMs: number;
  maxOutputBytes: number;
  signal: AbortSignal;
  /** Receives the output in order; the process's output waits for it. */
  log(data: Buffer | string): Promise<void>;
}

/** `10 MB` for the marker line. */
export function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

/** What a sandbox is made of; steps with the same shape share one. */
export type SandboxShape = Omit<SandboxSpec, 'argv' | 'env'>;

/** Where the launcher's node binary appears inside the sandbox. */
const LAUNCHER_NODE = '/run/pipelines/node';
/** Frames are at most a pipe read (64 KiB) or the exit record. */
const MAX_FRAME = 1024 * 1024;
const STDERR_TAIL = 4096;

interface CurrentStep {
  limits: RunLimits;
  written: number;
  truncated: boolean;
  timedOut: boolean;
  cancelled: boolean;
  logError?: unknown;
  pending: Promise<void>;
  done(result: ProcessResult): void;
  fail(error: unknown): void;
  cleanup(): void;
}

/**
 * One bubblewrap sandbox holding the launcher (see ./launcher.ts), which
 * runs steps inside it one at a time. A step that times out or is
 * cancelled takes the sandbox with it (bwrap is killed, and with its pid
 * namespace every process of the step); so does a step whose leftovers the
 * launcher could not clear, or output that does not parse as frames.
 */
export class SandboxSession {
  readonly shape: SandboxShape;
  readonly #child: ChildProcess;
  /** The frame header being read, and the frame whose payload streams. */
  readonly #head = Buffer.alloc(5);
  #headFill = 0;
  #frame: { type: string; left: number } | undefined;
  #exitRecord: Buffer[] = [];
  #current: CurrentStep | undefined;
  #ended = false;
  #reusable = true;
  #killed = false;
  #stderr = '';
  #spawnError: string | undefined;

  constructor(bwrap: string, shape: SandboxShape, node = process.execPath) {
    this.shape = shape;
    this.#child = spawn(
      bwrap,
      bwrapArguments({
        ...shape,
        readOnlyAt: [[node, LAUNCHER_NODE]],
        argv: [LAUNCHER_NODE, '-e', LAUNCHER_SOURCE],
        env: {},
      }),
      // Nothing of the backend's environment reaches even bwrap; each
      // step's environment is handed to the launcher with the step.
      { env: {}, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.#child.stdin!.on('error', () => {
      // The sandbox ended; 'close' reports it.
    });
    this.#child.stdout!.on('data', (data: Buffer) => this.#onData(data));
    this.#child.stderr!.on('data', (data: Buffer) => {
      this.#stderr = (this.#stderr + data.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.#child.on('error', error => {
      this.#spawnError = error.message;
      if (this.#child.pid === undefined) this.#onClose(null);
    });
    this.#child.on('close', code => this.#onClose(code));
    this.#child.on('exit', code => {
      // Killed by us: nothing more of its output counts, and a process
      // that escaped with its pipes (never under bwrap) must not hold the
      // step open.
      if (!this.#killed) return;
      this.#child.stdout!.destroy();
      this.#child.stderr!.destroy();
      this.#onClose(code);
    });
  }

  /** Another step may run here. */
  get usable(): boolean {
    return !this.#ended && this.#reusable;
  }

  /**
   * Runs one process in the sandbox. Its output goes to `log` with
   * backpressure (the sandbox's output is paused while a chunk is being
   * stored), up to the cap; beyond it output is read and dropped so the
   * process keeps running.
   */
  run(
    argv: string[],
    env: Record<string, string>,
    limits: RunLimits,
  ): Promise<ProcessResult> {
    if (this.#current) throw new Error('A step is already running here');
    if (limits.signal.aborted) {
      return Promise.resolve({
        timedOut: false,
        cancelled: true,
        truncated: false,
      });
    }
    if (this.#ended) {
      return Promise.resolve({
        timedOut: false,
        cancelled: false,
        truncated: false,
        spawnError: this.#endMessage(null),
      });
    }
    return new Promise((resolve, reject) => {
      const step: CurrentStep = {
        limits,
        written: 0,
        truncated: false,
        timedOut: false,
        cancelled: false,
        pending: Promise.resolve(),
        done: resolve,
        fail: reject,
        cleanup: () => {},
      };
      const timer = setTimeout(() => {
        step.timedOut = true;
        this.close();
      }, limits.timeoutMs);
      const onAbort = () => {
        step.cancelled = true;
        this.close();
      };
      limits.signal.addEventListener('abort', onAbort, { once: true });
      step.cleanup = () => {
        clearTimeout(timer);
        limits.signal.removeEventListener('abort', onAbort);
      };
      this.#current = step;
      this.#child.stdin!.write(`${JSON.stringify({ argv, env })}\n`);
    });
  }

  /** Kills the sandbox and everything in it. */
  close(): void {
    this.#reusable = false;
    if (
      this.#child.pid !== undefined &&
      this.#child.exitCode === null &&
      this.#child.signalCode === null
    ) {
      this.#killed = true;
      // bwrap holds the sandbox's pid namespace: its init dies with it
      // (--die-with-parent), and every process of the step with the init.
      this.#child.kill('SIGKILL');
    }
  }

  /**
   * Frames are parsed as they stream in: a step's output is handed on as
   * slices of what was read, never copied into a reassembly buffer.
   */
  #onData(data: Buffer) {
    let at = 0;
    while (at < data.length) {
      if (this.#frame === undefined) {
        const n = Math.min(5 - this.#headFill, data.length - at);
        data.copy(this.#head, this.#headFill, at, at + n);
        this.#headFill += n;
        at += n;
        if (this.#headFill < 5) return;
        this.#headFill = 0;
        const type = String.fromCharCode(this.#head[0]);
        const length = this.#head.readUInt32BE(1);
        if (!'oex'.includes(type) || length > MAX_FRAME || !this.#current) {
          this.#broken('the sandbox wrote output that is not a frame');
          return;
        }
        this.#frame = { type, left: length };
      } else {
        const n = Math.min(this.#frame.left, data.length - at);
        const piece = data.subarray(at, at + n);
        at += n;
        this.#frame.left -= n;
        if (this.#frame.type === 'x') {
          this.#exitRecord.push(piece);
        } else if (piece.length > 0) {
          this.#output(this.#current!, piece);
        }
      }
      if (this.#frame?.left === 0) {
        const ended = this.#frame.type;
        this.#frame = undefined;
        if (ended === 'x') {
          const record = Buffer.concat(this.#exitRecord);
          this.#exitRecord = [];
          this.#finish(record);
        }
      }
    }
  }

  #output(step: CurrentStep, chunk: Buffer) {
    if (step.truncated) return;
    const room = step.limits.maxOutputBytes - step.written;
    if (chunk.length <= room) {
      step.written += chunk.length;
      this.#enqueue(step, chunk);
      return;
    }
    step.truncated = true;
    step.written += room;
    if (room > 0) this.#enqueue(step, chunk.subarray(0, room));
    this.#enqueue(
      step,
      `\n[output truncated at ${formatBytes(
        step.limits.maxOutputBytes,
      )}: the rest of this step's output was dropped]\n`,
    );
  }

  #enqueue(step: CurrentStep, data: Buffer | string) {
    const stdout = this.#child.stdout!;
    stdout.pause();
    step.pending = step.pending
      .then(() => (step.logError ? undefined : step.limits.log(data)))
      .catch(error => {
        step.logError ??= error;
        this.close();
      })
      .finally(() => stdout.resume());
  }

  #finish(payload: Buffer) {
    const step = this.#current!;
    let record: {
      code?: number;
      error?: string;
      clean?: boolean;
    };
    try {
      record = JSON.parse(payload.toString('utf8'));
    } catch {
      this.#broken('the sandbox wrote an exit record that is not JSON');
      return;
    }
    if (!record.clean) this.close();
    if (record.error) {
      this.#enqueue(step, `${record.error}\n`);
    }
    this.#settle(
      step,
      record.error
        ? { exitCode: 127 }
        : { exitCode: typeof record.code === 'number' ? record.code : 1 },
    );
  }

  #settle(step: CurrentStep, end: { exitCode?: number; spawnError?: string }) {
    this.#current = undefined;
    step.cleanup();
    step.pending.then(() => {
      if (step.logError) {
        step.fail(step.logError);
        return;
      }
      const killed = step.timedOut || step.cancelled;
      step.done({
        ...(end.exitCode !== undefined && !killed
          ? { exitCode: end.exitCode }
          : {}),
        timedOut: step.timedOut,
        cancelled: step.cancelled,
        truncated: step.truncated,
        ...(end.spawnError && !killed ? { spawnError: end.spawnError } : {}),
      });
    });
  }

  #broken(reason: string) {
    this.#stderr = `${reason}\n${this.#stderr}`;
    this.close();
  }

  #endMessage(code: number | null): string {
    const why = this.#spawnError ?? this.#stderr.trim();
    return `the sandbox ended${
      code !== null ? ` (bwrap exited with status ${code})` : ''
    }${why ? `: ${why}` : ''}`;
  }

  #onClose(code: number | null) {
    if (this.#ended) return;
    this.#ended = true;
    const step = this.#current;
    if (step) this.#settle(step, { spawnError: this.#endMessage(code) });
  }
}

/**
 * The sandboxes of one task: a step runs in the task's current sandbox
 * when it needs the same tools and network, else in a new one; a sandbox
 * that a step left unusable is replaced. `close` ends them at the task's
 * end.
 */
export class TaskSandbox {
  #session: SandboxSession | undefined;

  constructor(
    private readonly bwrap: string,
    private readonly workspace: string,
  ) {}

  async run(
    argv: string[],
    sandbox: { readOnly: string[]; network: boolean },
    env: Record<string, string>,
    limits: RunLimits,
  ): Promise<ProcessResult> {
    const shape: SandboxShape = {
      workspace: this.workspace,
      readOnly: sandbox.readOnly,
      network: sandbox.network,
    };
    if (!this.#session?.usable || !sameShape(this.#session.shape, shape)) {
      this.#session?.close();
      this.#session = new SandboxSession(this.bwrap, shape);
    }
    return this.#session.run(argv, env, limits);
  }

  close(): void {
    this.#session?.close();
    this.#session = undefined;
  }
}

function sameShape(a: SandboxShape, b: SandboxShape): boolean {
  return (
    a.workspace === b.workspace &&
    a.network === b.network &&
    a.readOnly.length === b.readOnly.length &&
    a.readOnly.every((p, i) => p === b.readOnly[i])
  );
}
