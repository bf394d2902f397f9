export interface Config {
  /**
   * Local git hosting (the embedded default; production uses GitHub through
   * Backstage's GitHub integration). Bare repositories are served over git's
   * smart HTTP at `<backend.baseUrl>/api/githost/<owner>/<name>.git`.
   */
  githost?: {
    /**
     * Folder holding the bare repositories (`<root>/<owner>/<name>.git`),
     * relative to the backend's working directory (packages/backend when
     * started with `yarn start`). The default is the repository's ignored
     * `.data/git`, next to the embedded SQLite files.
     * @defaultValue ../../.data/git
     */
    root?: string;

    /**
     * Whether git clients may push over HTTP without credentials. git
     * clients cannot send Backstage tokens, so reads (clone, fetch) are
     * always anonymous and pushes are either anonymous or refused (403).
     * The suite's app-config.yaml sets it to true for the local embedded
     * default, where the backend listens on localhost only and the
     * developer is the only user. Never enable it on a backend reachable by
     * others: anyone who can reach it could then push to every repository.
     * @defaultValue false
     */
    allowAnonymousPush?: boolean;

    /**
     * Public URL of the githost routes, as git clients, the catalog and push
     * event payloads see them (clone URLs, html_url). Only URLs under it are
     * read by the githost UrlReader. Set it when the backend is reached
     * through another address than `backend.baseUrl`.
     * @defaultValue <backend.baseUrl>/api/githost
     */
    baseUrl?: string;

    /**
     * Bounds on what one client can make the git hosting do. Every
     * request is also refused unless its `Host` (and, from a browser, its
     * `Origin`) is the host of `backend.baseUrl`, `app.baseUrl` or
     * `githost.baseUrl` (a loopback name standing for the other loopback
     * names), so a web page cannot reach the anonymous routes through DNS
     * rebinding.
     */
    limits?: {
      /**
       * Largest push, in bytes: the request body after decompression
       * (plus room for the ref commands) and git's `receive.maxInputSize`
       * for the pack. A larger push is refused (413) and changes nothing.
       * @defaultValue 33554432 (32 MiB)
       */
      maxPushBytes?: number;
      /**
       * Most refs one push may create, update or delete; a push with more
       * is refused (413) before git runs. Push tags in batches.
       * @defaultValue 50
       */
      maxRefsPerPush?: number;
      /**
       * A push is received before the repository is locked, and cut off
       * (408) when it brings fewer than this many bytes per second over 10
       * seconds, so a slow client holds nothing another push waits for.
       * @defaultValue 10240 (10 KiB/s)
       */
      minPushBytesPerSecond?: number;
      /**
       * Longest time a push request may take to arrive, in seconds; then
       * it is cut off (408).
       * @defaultValue 120
       */
      pushTimeoutSeconds?: number;
      /**
       * Largest file served by the blob route and the URL reader, in bytes.
       * The size is checked before any content is read, and the blob route
       * streams the content. A larger file is refused (403).
       * @defaultValue 16777216 (16 MiB)
       */
      maxBlobBytes?: number;
      /**
       * File reads served at the same time; the others wait their turn.
       * The blob routes and the URL reader each have this many (the URL
       * reader builds its own repository store).
       * @defaultValue 8
       */
      maxConcurrentReads?: number;
    };

    /**
     * Branches that refuse force-pushes (non-fast-forward updates) and
     * deletion, as GitHub's branch protection does; other branches may be
     * force-pushed and deleted. git itself refuses the update
     * (`receive.denyNonFastForwards`/`receive.denyDeletes`, set for the
     * push that touches a protected branch), so the client sees git's
     * usual "non-fast-forward" or "deletion prohibited". Within such a
     * push, other branches cannot be force-pushed either: push them on
     * their own.
     */
    branchProtection?: {
      /**
       * Whether each repository's default branch (where HEAD points) is
       * protected.
       * @defaultValue true
       */
      defaultBranch?: boolean;
      /**
       * Further branch names protected in every repository (without
       * `refs/heads/`), e.g. `release`.
       * @defaultValue []
       */
      branches?: string[];
      /**
       * Per-repository rules, replacing the two keys above for that
       * repository; a key left out keeps the value for every repository.
       */
      repositories?: Array<{
        /** The repository, as `owner/name`. */
        repository: string;
        /** Whether its default branch is protected. */
        defaultBranch?: boolean;
        /** Its further protected branch names. */
        branches?: string[];
      }>;
    };
  };
}
