import { parseEntityRef } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import type { RunSummary, StepStatus } from '@gitops/plugin-pipelines-common';
import type {
  ExecutionRequest,
  PipelineExecutor,
} from '@gitops/plugin-pipelines-node';
import type { ClaimedRun, RunStore } from '../database/RunStore';
import type { LiveLogs } from './LiveLogs';
import { yieldToEventLoop } from './Pump';
import { LogLimits, StoreReporter } from './StoreReporter';

/** Timing of the worker's loops, in milliseconds. */
export interface WorkerTimings {
  /** How often queued runs are looked for (besides wake-ups). */
  pollMs: number;
  /** How often this instance's running runs are marked alive. */
  heartbeatMs: number;
  /** A running run not marked alive for this long is interrupted. */
  staleMs: number;
  /** How long stopping waits for executors to return after cancelling them. */
  stopGraceMs?: number;
}

/** @internal */
export const DEFAULT_WORKER_TIMINGS: WorkerTimings = {
  pollMs: 2000,
  heartbeatMs: 5000,
  staleMs: 20000,
};

/** What a run's change tells the rest of the backend (signals, checks). */
export type RunListener = (
  run: RunSummary,
  step?: { id: string; status: StepStatus },
) => void;

/**
 * Claims queued runs from the store (at most `maxConcurrentRuns` at a time
 * on this instance) and hands them to the executor; keeps them alive with a
 * heartbeat; marks as interrupted the runs of instances that stopped beating
 * (a crash or `kill -9`), within `staleMs` plus a poll.
 */
export class RunWorker {
  readonly #active = new Map<string, AbortController>();
  readonly #timers: NodeJS.Timeout[] = [];
  #polling = false;
  #pollAgain = false;
  #stopped = false;
  readonly #done = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      store: RunStore;
      executor: PipelineExecutor;
      logger: LoggerService;
      instanceId: string;
      maxConcurrentRuns: number;
      logLimits: LogLimits;
      timings: WorkerTimings;
      onChange: RunListener;
      /** Where followers on this replica read the running steps' output. */
      live?: LiveLogs;
    },
  ) {}

  start(): void {
    const { timings } = this.options;
    this.#timers.push(
      setInterval(() => this.wake(), timings.pollMs),
      setInterval(() => {
        this.#heartbeat().catch(e => this.#error('heartbeat', e));
      }, timings.heartbeatMs),
      setInterval(() => {
        this.#reap().catch(e => this.#error('interrupted runs', e));
      }, Math.max(1000, Math.floor(timings.staleMs / 2))),
    );
    this.#reap().catch(e => this.#error('interrupted runs', e));
    this.wake();
  }

  /** Looks for queued runs now (after runs were created). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#polling) {
      this.#pollAgain = true;
      return;
    }
    this.#polling = true;
    this.#poll()
      .catch(e => this.#error('claiming runs', e))
      .finally(() => {
        this.#polling = false;
        if (this.#pollAgain) {
          this.#pollAgain = false;
          this.wake();
        }
      });
  }

  /** Runs currently executing on this instance. */
  get activeRuns(): string[] {
    return [...this.#active.keys()];
  }

  /**
   * Stops claiming, cancels what runs here and waits for the executors to
   * return. What they could not finish is interrupted by the next start or
   * another replica.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    for (const c of this.#active.values())
      c.abort(new Error('backend stopping'));
    // An executor that ignores the abort must not hold the shutdown.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#done]),
      new Promise(resolve => {
        timer = setTimeout(resolve, this.options.timings.stopGraceMs ?? 10_000);
      }),
    ]);
    clearTimeout(timer);
  }

  async #poll() {
    while (
      !this.#stopped &&
      this.#active.size < this.options.maxConcurrentRuns
    ) {
      await yieldToEventLoop();
      const run = await this.options.store.claimQueuedRun(
        this.options.instanceId,
      );
      if (!run) return;
      const controller = new AbortController();
      this.#active.set(run.id, controller);
      const done = this.#execute(run, controller)
        .catch(e => this.#error(`run ${run.id}`, e))
        .finally(() => {
          this.#active.delete(run.id);
          this.#done.delete(done);
          this.wake();
        });
      this.#done.add(done);
    }
  }

  async #execute(run: ClaimedRun, controller: AbortController) {
    const { store, executor, logger, onChange } = this.options;
    const started = await store.getRunSummary(run.id);
    if (started) onChange(started);
    const entity = parseEntityRef(run.entityRef);
    const reporter = new StoreReporter({
      store,
      limits: this.options.logLimits,
      live: this.options.live,
      // The run stays running while its steps change: the summary read at
      // its start is current, and a step costs no read.
      onStepChange: (stepId, status) => {
        if (started) onChange(started, { id: stepId, status });
      },
      onError: e => this.#error(`logs of run ${run.id}`, e),
    });
    const request: ExecutionRequest = {
      runId: run.id,
      entityRef: run.entityRef,
      component: { namespace: entity.namespace, name: entity.name },
      source: {
        cloneUrl: run.cloneUrl ?? '',
        sha: run.trigger.sha,
        ref: run.trigger.ref,
      },
      pipeline: run.definition,
      steps: run.steps,
      env: {
        COMMIT_SHA: run.trigger.sha,
        BRANCH: run.trigger.ref,
        BUILD_ID: run.id,
        COMPONENT: entity.name,
      },
      signal: controller.signal,
    };
    let status: 'succeeded' | 'failed' | 'cancelled';
    let message: string | undefined;
    try {
      const result = await executor.execute(request, reporter);
      status = result.status;
      message = result.message;
    } catch (error) {
      status = controller.signal.aborted ? 'cancelled' : 'failed';
      message = `the ${executor.id} executor failed: ${stringifyError(error)}`;
      logger.error(`Run ${run.id} of ${run.entityRef}: ${message}`);
    }
    await reporter.flushAll();
    if (this.#stopped && controller.signal.aborted) {
      // Stopping: left running, interrupted by the next start (logs kept).
      return;
    }
    const finished = await store.finishRun(run.id, status, message);
    onChange(finished);
  }

  async #heartbeat() {
    const ids = this.activeRuns;
    const cancel = await this.options.store.heartbeat(
      this.options.instanceId,
      ids,
    );
    for (const id of cancel) {
      this.#active.get(id)?.abort(new Error('cancelled'));
    }
  }

  /** Cancels a run running on this instance at once (others: heartbeat). */
  cancelLocal(runId: string): boolean {
    const c = this.#active.get(runId);
    c?.abort(new Error('cancelled'));
    return Boolean(c);
  }

  async #reap() {
    const reaped = await this.options.store.reapInterrupted(
      this.options.timings.staleMs,
    );
    for (const run of reaped) {
      this.options.logger.warn(
        `Run ${run.id} of ${run.entityRef} was interrupted: its backend stopped`,
      );
      this.options.onChange(run);
    }
  }

  #error(what: string, error: unknown) {
    this.options.logger.error(`pipelines: ${what}: ${stringifyError(error)}`);
  }
}
