import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';

/**
 * Lets the event loop serve what waits (webhook acknowledgements, API
 * requests) before the next item of a batch. On SQLite every query is
 * synchronous, so a batch that never yields would hold every request behind
 * it.
 */
export const yieldToEventLoop = () =>
  new Promise<void>(resolve => setImmediate(resolve));

/**
 * Runs `work` until it has nothing left (it returns 0), when woken and on an
 * interval; never twice at the same time on this instance.
 */
export class Pump {
  #running = false;
  #again = false;
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      name: string;
      logger: LoggerService;
      intervalMs: number;
      work: () => Promise<number>;
    },
  ) {}

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.wake(), this.options.intervalMs);
    this.wake();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    this.#drain()
      .catch(e =>
        this.options.logger.error(
          `pipelines ${this.options.name}: ${stringifyError(e)}`,
        ),
      )
      .finally(() => {
        this.#running = false;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  async #drain() {
    while (!this.#stopped && (await this.options.work()) > 0) {
      // more may be waiting, after what else waits
      await yieldToEventLoop();
    }
  }
}
