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
    };
  };
}
