/**
 * Locks on refs, held by one router: a push holds the refs it updates, so
 * pushes to different branches of a repository run side by side (as git
 * itself allows) while two pushes to the same branch take turns, and the
 * value a ref has after git ran belongs to the push that held it.
 */
export class RefLocks {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` holding every key (taken in sorted order: no deadlock). */
  async run<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: Array<() => void> = [];
    try {
      for (const key of sorted) releases.push(await this.#acquire(key));
      return await fn();
    } finally {
      releases.forEach(release => release());
    }
  }

  async #acquire(key: string): Promise<() => void> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release: () => void = () => {};
    const current = new Promise<void>(resolve => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
  }
}
