export interface Config {
  /** Local git hosting (the embedded default; production uses GitHub). */
  githost?: {
    /**
     * Folder holding the bare repositories, relative to the backend's working directory.
     * @defaultValue ../../.data/git
     */
    root?: string;
  };
}
