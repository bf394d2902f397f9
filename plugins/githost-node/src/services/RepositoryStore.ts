import type { Readable } from 'node:stream';

/**
 * The interface of the repository store: bare git repositories under one
 * root folder, addressed as owner/name.
 */

/** Coordinates of a hosted repository. @public */
export interface RepositoryRef {
  owner: string;
  name: string;
}

/** A hosted repository and where it stands. @public */
export interface RepositoryDetails extends RepositoryRef {
  /** The branch HEAD points at, e.g. `master`. */
  defaultBranch: string;
  /** The commit the default branch points at; absent while the repository is empty. */
  headCommit?: string;
  /** One line saying what the repository is, when it was given one. */
  description?: string;
}

/** A file read from a repository at a ref. @public */
export interface RepositoryFile {
  /** Path inside the repository, '/'-separated. */
  path: string;
  content: Buffer;
  /** The blob's object name: changes exactly when the content does. */
  sha: string;
  /** The commit the ref resolved to. */
  commit: string;
}

/**
 * A file opened for streaming: its size is known (and checked against the
 * store's limit) before any content is read. @public
 */
export interface RepositoryBlob {
  path: string;
  sha: string;
  commit: string;
  /** Size in bytes. */
  size: number;
  /** The content, read from git as it is consumed. */
  stream(): Readable;
}

/** One entry of a tree listing. @public */
export interface RepositoryTreeEntry {
  /** Path relative to the listed folder, '/'-separated. */
  path: string;
  /**
   * `file` (regular or executable), `symlink` (mode 120000: the content is
   * the link target; never followed) or `submodule` (a gitlink, no content).
   */
  type: 'file' | 'symlink' | 'submodule';
  /** git file mode, e.g. `100644`. */
  mode: string;
  sha: string;
  /** Size in bytes (absent for submodules). */
  size?: number;
}

/** A person in a commit. @public */
export interface CommitPerson {
  name: string;
  email: string;
  /** ISO 8601 with the author's or committer's offset. */
  date: string;
}

/** A commit with the files it changed against its first parent. @public */
export interface CommitInfo {
  id: string;
  treeId: string;
  parents: string[];
  message: string;
  author: CommitPerson;
  committer: CommitPerson;
  added: string[];
  removed: string[];
  modified: string[];
}

/** A ref that moved; `before`/`after` are 40 zeros when it was created/deleted. @public */
export interface RefUpdate {
  ref: string;
  before: string;
  after: string;
}

/** Options of {@link RepositoryStore.create}. @public */
export interface CreateRepositoryOptions {
  /** Branch HEAD points at. @defaultValue master */
  defaultBranch?: string;
  /** One line saying what the repository is (git's `description` file). */
  description?: string;
}

/** Options of {@link RepositoryStore.commitDirectory}. @public */
export interface CommitDirectoryOptions {
  /** Folder whose content (minus what its .gitignore excludes) becomes the commit's tree. */
  sourceDir: string;
  /** Branch to commit to; created when missing, otherwise the commit's parent is its tip. */
  branch: string;
  message: string;
  author: { name: string; email: string };
  committer?: { name: string; email: string };
}

/**
 * Bare git repositories on local disk, addressed as `owner/name` and stored
 * at `<root>/<owner>/<name>.git`.
 *
 * Every method validates owner, name, refs and paths before git sees them;
 * a repository or ref that does not exist is a NotFoundError.
 *
 * @public
 */
export interface RepositoryStore {
  /** Absolute folder holding the repositories. */
  readonly root: string;

  /** Absolute path of a repository's folder (validated; it may not exist). */
  repositoryPath(owner: string, name: string): string;

  /** Creates an empty bare repository; ConflictError when it exists. */
  create(
    owner: string,
    name: string,
    options?: CreateRepositoryOptions,
  ): Promise<RepositoryDetails>;

  exists(owner: string, name: string): Promise<boolean>;

  /** Every repository, sorted by owner then name. */
  list(): Promise<RepositoryRef[]>;

  /** Default branch and head commit of a repository. */
  describe(owner: string, name: string): Promise<RepositoryDetails>;

  /**
   * The branch HEAD points at, without the rest of
   * {@link RepositoryStore.describe} (read on every push, so kept cheap).
   */
  defaultBranch(owner: string, name: string): Promise<string>;

  /**
   * The commit a ref resolves to: `refs/heads/X`, else `refs/tags/X`, else a
   * full commit id. A short name that is both a branch and a tag is refused
   * (ConflictError) with the reason.
   */
  resolveRef(owner: string, name: string, ref: string): Promise<string>;

  /**
   * Every ref and the object it points to (`refs/heads/master` → sha; an
   * annotated tag maps to its tag object).
   */
  listRefs(owner: string, name: string): Promise<Record<string, string>>;

  /**
   * Splits URL path segments after `blob/` or `tree/` into a ref and a path.
   * Branch and tag names may contain '/', so the longest existing branch or
   * tag wins; otherwise the first segment is the ref (e.g. a commit).
   */
  splitRefAndPath(
    owner: string,
    name: string,
    segments: string[],
  ): Promise<{ ref: string; path: string }>;

  /**
   * Reads a file at a ref. A symbolic link is refused (NotAllowedError):
   * its target could point anywhere, and it is never followed.
   */
  readFile(
    owner: string,
    name: string,
    ref: string,
    path: string,
  ): Promise<RepositoryFile>;

  /**
   * {@link RepositoryStore.readFile} as a stream: the size is checked first
   * and the content is never held whole in memory.
   */
  openFile(
    owner: string,
    name: string,
    ref: string,
    path: string,
  ): Promise<RepositoryBlob>;

  /** Reads a blob by object name (from {@link RepositoryStore.listTree}). */
  readBlob(owner: string, name: string, sha: string): Promise<Buffer>;

  /** Every file under a folder at a ref, recursively, paths relative to the folder. */
  listTree(
    owner: string,
    name: string,
    ref: string,
    subdir?: string,
  ): Promise<{ commit: string; entries: RepositoryTreeEntry[] }>;

  /**
   * The commits a ref update brought, oldest first: `before..after` for an
   * update, the commits not reachable from any other ref for a created ref,
   * none for a deleted one. At most `limit` (the newest ones); `total` counts all.
   */
  readCommits(
    owner: string,
    name: string,
    update: RefUpdate,
    options: { limit: number; otherRefs?: string[] },
  ): Promise<{ commits: CommitInfo[]; total: number }>;

  /** One commit (a tag is peeled to its commit) with the files it changed. */
  readCommit(owner: string, name: string, rev: string): Promise<CommitInfo>;

  /** True when `ancestor` is reachable from `descendant`. */
  isAncestor(
    owner: string,
    name: string,
    ancestor: string,
    descendant: string,
  ): Promise<boolean>;

  /**
   * Commits the content of a folder onto a branch without a working copy or
   * a push (the scaffolder's path into the store). Returns the ref update.
   */
  commitDirectory(
    owner: string,
    name: string,
    options: CommitDirectoryOptions,
  ): Promise<RefUpdate>;

  /**
   * Runs `fn` while no other write to the same repository runs in this
   * process, so that refs read before and after a push belong to that push.
   */
  withWriteLock<T>(
    owner: string,
    name: string,
    fn: () => Promise<T>,
  ): Promise<T>;
}
