import { utf8Boundary } from '../database/RunStore';

/** What {@link LiveLogs.read} found at an offset. */
export type LiveRead =
  /** Bytes from the offset on; `truncated` once the step's log was capped. */
  | { kind: 'data'; bytes: Buffer; nextOffset: number; truncated: boolean }
  /** Everything up to the offset was sent; more may come. */
  | { kind: 'caught-up' }
  /**
   * Not here: the step runs on another replica, has ended, or the offset
   * is older than the window. The store has it.
   */
  | { kind: 'store' };

interface LiveStep {
  /** Offset of the first byte held. */
  start: number;
  /** Offset after the last byte held. */
  end: number;
  chunks: Buffer[];
  truncated: boolean;
  waiters: Set<() => void>;
}

/**
 * The recent output of the steps running on this replica, for the follow
 * route: a follower reads new output from memory as it arrives, instead of
 * polling the store and reading back what was just written. Holds at most
 * `windowBytes` per running step; a follower further behind, on another
 * replica, or after the step ended reads the store, which has every byte
 * older than the window (the writer keeps at most three chunks unstored).
 */
export class LiveLogs {
  readonly #steps = new Map<string, LiveStep>();

  constructor(private readonly windowBytes = 8 * 1024 * 1024) {}

  /** A step starts here; only output of started steps is held. */
  open(stepId: string): void {
    if (this.#steps.has(stepId)) return;
    this.#steps.set(stepId, {
      start: 0,
      end: 0,
      chunks: [],
      truncated: false,
      waiters: new Set(),
    });
  }

  /** Output of a running step, at its offset in the step's log. */
  append(stepId: string, offset: number, data: Buffer): void {
    const step = this.#steps.get(stepId);
    if (!step || offset !== step.end || data.length === 0) return;
    step.chunks.push(data);
    step.end += data.length;
    while (
      step.chunks.length > 1 &&
      step.end - step.start - step.chunks[0].length >= this.windowBytes
    ) {
      step.start += step.chunks.shift()!.length;
    }
    this.#wake(step);
  }

  /** The step's log was capped: what follows the marker was dropped. */
  markTruncated(stepId: string): void {
    const step = this.#steps.get(stepId);
    if (step) step.truncated = true;
  }

  /** The step ended and its whole log is stored: followers go to the store. */
  close(stepId: string): void {
    const step = this.#steps.get(stepId);
    if (!step) return;
    this.#steps.delete(stepId);
    this.#wake(step);
  }

  read(stepId: string, offset: number, limit: number): LiveRead {
    const step = this.#steps.get(stepId);
    if (!step || offset < step.start || offset > step.end) {
      return { kind: 'store' };
    }
    if (offset === step.end) return { kind: 'caught-up' };
    const parts: Buffer[] = [];
    let at = step.start;
    let taken = 0;
    for (const chunk of step.chunks) {
      const chunkEnd = at + chunk.length;
      if (chunkEnd > offset && taken < limit) {
        const part = chunk.subarray(Math.max(0, offset - at));
        const room = limit - taken;
        parts.push(part.length > room ? part.subarray(0, room) : part);
        taken += Math.min(part.length, room);
      }
      at = chunkEnd;
      if (taken >= limit) break;
    }
    let bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    bytes = bytes.subarray(0, utf8Boundary(bytes));
    if (bytes.length === 0) return { kind: 'caught-up' };
    return {
      kind: 'data',
      bytes,
      nextOffset: offset + bytes.length,
      truncated: step.truncated,
    };
  }

  /**
   * Resolves when the step has output beyond `offset`, ends, or after
   * `timeoutMs` (a step on another replica is polled at that pace).
   */
  wait(stepId: string, offset: number, timeoutMs: number): Promise<void> {
    const step = this.#steps.get(stepId);
    if (step && offset < step.end) return Promise.resolve();
    return new Promise(resolve => {
      const timers: { timer?: NodeJS.Timeout } = {};
      const done = () => {
        clearTimeout(timers.timer);
        step?.waiters.delete(done);
        resolve();
      };
      timers.timer = setTimeout(done, timeoutMs);
      timers.timer.unref?.();
      step?.waiters.add(done);
    });
  }

  #wake(step: LiveStep) {
    const waiters = [...step.waiters];
    step.waiters.clear();
    for (const w of waiters) w();
  }
}
