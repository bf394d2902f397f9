/**
 * A worker entry for the pool's tests that fails while loading, as a worker
 * built from a broken package would.
 */
throw new Error('Cannot find module ./analyze');
