export interface Config {
  catalog?: {
    gitops?: {
      /**
       * Worker threads that read and parse the descriptors beside each
       * component, off the catalog's event loop. Default: one per core
       * beyond the first, at most 4 (none on a single core). 0 analyses on
       * the catalog's own thread.
       */
      analysisWorkers?: number;

      /**
       * How long the analysis of one component may run on a worker, as
       * `5s` or `1m` (from 1s to 1h). An analysis takes milliseconds; one
       * that runs longer (a descriptor that sends the parser into a loop)
       * has its worker terminated and replaced, and becomes a processing
       * error on that component only: `gitops: <catalog-info file>:
       * analysis took longer than 5s`. A worker that crashes gives `the
       * analysis worker crashed` the same way. Nothing is retried on the
       * catalog's thread; the catalog's next refresh tries again. Without
       * workers (`analysisWorkers: 0`) there is no timeout.
       * @defaultValue 5s
       */
      analysisTimeout?: string;
    };
  };
}
