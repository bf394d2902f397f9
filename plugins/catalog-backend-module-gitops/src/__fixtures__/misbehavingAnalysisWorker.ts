/**
 * A worker entry for the pool's tests (WorkerPoolAnalyzer's `entry`): the
 * real analysis, except for components named to misbehave the ways a
 * hostile descriptor could make the parser misbehave.
 */
import { parentPort } from 'node:worker_threads';
import { serveAnalyses } from '../analysisPool';
import { runAnalysis } from '../runAnalysis';

serveAnalyses(parentPort!, async input => {
  switch (input.component.metadata.name) {
    case 'hangs': {
      // A parser caught in a loop: it never yields to the event loop.
      let steps = 0;
      for (;;) steps++;
    }
    case 'crashes':
      // An error no promise catches: the worker dies.
      setImmediate(() => {
        throw new RangeError('Invalid array length');
      });
      return new Promise(() => {});
    default:
      return runAnalysis(input);
  }
});
