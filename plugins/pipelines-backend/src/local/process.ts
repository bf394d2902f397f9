import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { bwrapArguments, SandboxSpec } from './sandbox';

/** How a sandboxed process ended. */
export interface ProcessResult {
  /** The command's exit status; undefined when it was killed. */
  exitCode?: number;
  timedOut: boolean;
  cancelled: boolean;
  /** Output beyond the cap was dropped. */
  truncated: boolean;
  /** bwrap could not be started at all. */
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

/**
 * Runs one process in the sandbox. Its output goes to `log` with
 * backpressure (the pipes are paused while a chunk is being stored), up to
 * the cap; beyond it output is read and dropped so the process keeps
 * running. A timeout or an abort kills bwrap, which takes the sandbox's pid
 * namespace (every process the step started, daemons included) with it; the
 * namespace also ends when the command exits, so nothing outlives a step.
 */
export function runSandboxed(
  bwrap: string,
  spec: SandboxSpec,
  limits: RunLimits,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    let cancelled = false;
    let truncated = false;
    let written = 0;
    let logError: unknown;
    let pending: Promise<void> = Promise.resolve();

    if (limits.signal.aborted) {
      resolve({ timedOut, cancelled: true, truncated });
      return;
    }
    const child = spawn(bwrap, bwrapArguments(spec), {
      // Nothing of the backend's environment reaches even bwrap; the step's
      // environment is set with --setenv after --clearenv.
      env: {},
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const kill = () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      // bwrap holds the sandbox's pid namespace: its init dies with it
      // (--die-with-parent), and every process of the step with the init.
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, limits.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    limits.signal.addEventListener('abort', onAbort, { once: true });

    const enqueue = (stream: Readable, data: Buffer | string) => {
      stream.pause();
      pending = pending
        .then(() => (logError ? undefined : limits.log(data)))
        .catch(error => {
          logError ??= error;
          kill();
        })
        .finally(() => stream.resume());
    };
    const onData = (stream: Readable) => (chunk: Buffer) => {
      if (truncated) return;
      const room = limits.maxOutputBytes - written;
      if (chunk.length <= room) {
        written += chunk.length;
        enqueue(stream, chunk);
        return;
      }
      truncated = true;
      written += room;
      if (room > 0) enqueue(stream, chunk.subarray(0, room));
      enqueue(
        stream,
        `\n[output truncated at ${formatBytes(
          limits.maxOutputBytes,
        )}: the rest of this step's output was dropped]\n`,
      );
    };
    child.stdout.on('data', onData(child.stdout));
    child.stderr.on('data', onData(child.stderr));

    let spawnError: string | undefined;
    child.on('error', error => {
      spawnError = error.message;
      if (child.pid === undefined) {
        clearTimeout(timer);
        limits.signal.removeEventListener('abort', onAbort);
        resolve({ timedOut, cancelled, truncated, spawnError });
      }
    });
    child.on('close', code => {
      clearTimeout(timer);
      limits.signal.removeEventListener('abort', onAbort);
      pending.then(() => {
        if (logError) {
          reject(logError);
          return;
        }
        resolve({
          ...(code !== null && !timedOut && !cancelled
            ? { exitCode: code }
            : {}),
          timedOut,
          cancelled,
          truncated,
          ...(spawnError ? { spawnError } : {}),
        });
      });
    });
  });
}
