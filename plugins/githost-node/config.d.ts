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
  };
}
