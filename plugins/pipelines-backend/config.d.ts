export interface Config {
  pipelines?: {
    /**
     * The executor that runs builds: `local` (the embedded default, below)
     * or one added by a module, such as `argo`
     * (`@gitops/plugin-pipelines-backend-module-argo`).
     * @defaultValue local
     */
    executor?: string;

    /**
     * Runs executing at the same time on one backend instance; more wait
     * queued (another replica may take them).
     * @defaultValue 2
     */
    maxConcurrentRuns?: number;

    logs?: {
      /**
       * Bytes of log kept per step; beyond it one marker line is stored and
       * the rest of the step's output dropped.
       * @defaultValue 16777216 (16 MB)
       */
      maxBytesPerStep?: number;
    };

    /** Deleted by the hourly `pipelines-retention` task. */
    retention?: {
      /**
       * Logs of runs finished longer ago are deleted (the runs stay).
       * @defaultValue 30
       */
      logsDays?: number;
      /**
       * Runs finished longer ago are deleted with their steps and logs.
       * @defaultValue 180
       */
      runsDays?: number;
    };

    /** The claim loop and crash detection. */
    worker?: {
      /** @defaultValue 2 */
      pollSeconds?: number;
      /** How often an instance marks its running runs alive. @defaultValue 5 */
      heartbeatSeconds?: number;
      /**
       * A running run not marked alive for this long is marked interrupted
       * by any instance (its backend crashed or was killed).
       * @defaultValue 20
       */
      staleSeconds?: number;
    };

    /**
     * The local executor (the embedded default, `pipelines.executor: local`):
     * each task of a run in its own workspace (a clone of the repository at
     * the commit), each step's action run as a process in a bubblewrap
     * sandbox (Debian package `bubblewrap`): read-only root file system
     * without the backend's folders, only the workspace writable, a private
     * `/tmp`, and an environment holding only PATH, HOME, the run's
     * variables, earlier steps' outputs and the step's own.
     */
    local?: {
      /**
       * Folder holding the runs' workspaces (`<workDir>/<runId>/<stage>-<task>`)
       * and the folders static-publish steps publish to
       * (`<workDir>/published/<site>`). Keep it outside the repository's
       * `.data/`: steps can read their workspace.
       * @defaultValue <os.tmpdir()>/gitops-pipelines
       */
      workDir?: string;

      /**
       * Keep each run's workspaces after the run instead of removing them,
       * to look into a build. They are never cleaned up then.
       * @defaultValue false
       */
      keepWorkspaces?: boolean;

      /**
       * Longest a step may run, in seconds; then its whole process tree is
       * killed and the step fails.
       * @defaultValue 1800
       */
      stepTimeoutSeconds?: number;

      /**
       * Most bytes of output (stdout and stderr together) stored per step.
       * Beyond it the output is dropped, one marker line says so, and the
       * step keeps running.
       * @defaultValue 10485760 (10 MiB)
       */
      maxOutputBytes?: number;

      /**
       * JUnit XML files read after each step, relative to the workspace;
       * `*` and `?` match within one path segment. Only files written
       * during the step count. Every step also gets `JUNIT_REPORT`, a path
       * it may write its report to.
       * @defaultValue ["reports/junit*.xml"]
       */
      junitReports?: string[];

      /**
       * The action registry: what runs locally for an action image, by the
       * image's name without tag (`action-containers/node22`). An entry
       * replaces the built-in one (node20/22/24 → npm with that Node.js,
       * mvn-java11/17/21/25 → Maven with that JDK, image-publish → an OCI
       * image layout built with umoci, static-publish → a copy under
       * workDir, techdocs → techdocs-cli, db-migrate → db-migrate, deploy →
       * the deployer step action or a note that none is installed). An
       * image with neither fails its step, naming this key.
       */
      actions?: {
        [image: string]: {
          /**
           * The argument vector's start, run in the sandbox with the step's
           * args appended, e.g. `["npm"]`. A name without `/` is looked up
           * on the sandbox's PATH (the tools, /usr/local/bin, /usr/bin, /bin).
           */
          command: string[];
          /**
           * Host files or folders the action needs, made visible read-only
           * at the same path; folders are put first on PATH (e.g. a Node.js
           * `bin` folder). Never list the backend's folders or `.data/`.
           */
          tools?: string[];
          /**
           * Whether the step may use the network (npm ci and Maven need
           * their registries). Without it the sandbox has only a loopback.
           * @defaultValue true for the built-in Node.js and Maven actions, false otherwise
           */
          network?: boolean;
          /** Environment added to the step's (the step's own `env` wins). */
          env?: { [name: string]: string };
          /** One sentence for the logs. */
          description?: string;
        };
      };
    };
  };
}
