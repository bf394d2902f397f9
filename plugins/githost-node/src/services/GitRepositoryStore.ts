import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  assertError,
} from '@backstage/errors';
import {
  DEFAULT_GITHOST_LIMITS,
  readGithostLimits,
  readGithostRoot,
} from '../config';
import { GitCommandError, gitEnv, runGit, runGitText } from './git';
import {
  ZERO_SHA,
  assertRefName,
  assertRepositoryName,
  isFullSha,
  isValidRepositoryName,
  normalizeRepoPath,
} from './names';
import {
  CommitDirectoryOptions,
  CommitInfo,
  CreateRepositoryOptions,
  RefUpdate,
  RepositoryDetails,
  RepositoryBlob,
  RepositoryFile,
  RepositoryRef,
  RepositoryStore,
  RepositoryTreeEntry,
} from './RepositoryStore';
import { readRefsFromFiles } from './refs';
import { Semaphore } from './semaphore';

// Shared by every store instance in the process: the plugin and the
// scaffolder module each build their own store over the same folders.
const writeLocks = new Map<string, Promise<void>>();

const MODE_SYMLINK = '120000';
const MODE_GITLINK = '160000';

/**
 * {@link RepositoryStore} over bare repositories on local disk, driven by
 * the git command line (argument arrays, no shell, clean environment, time
 * limits).
 *
 * @public
 */
export class GitRepositoryStore implements RepositoryStore {
  readonly root: string;
  readonly maxBlobBytes: number;
  readonly #reads: Semaphore;

  /** A store over `githost.root` (default `../../.data/git` from the working directory). */
  static fromConfig(config: Config): GitRepositoryStore {
    const limits = readGithostLimits(config);
    return new GitRepositoryStore({
      root: readGithostRoot(config),
      maxBlobBytes: limits.maxBlobBytes,
      maxConcurrentReads: limits.maxConcurrentReads,
    });
  }

  constructor(options: {
    root: string;
    /** Largest file read or streamed. @defaultValue 16 MiB */
    maxBlobBytes?: number;
    /** File reads served at once; the others wait their turn. @defaultValue 8 */
    maxConcurrentReads?: number;
  }) {
    this.root = path.resolve(options.root);
    this.maxBlobBytes =
      options.maxBlobBytes ?? DEFAULT_GITHOST_LIMITS.maxBlobBytes;
    this.#reads = new Semaphore(
      options.maxConcurrentReads ?? DEFAULT_GITHOST_LIMITS.maxConcurrentReads,
    );
  }

  repositoryPath(owner: string, name: string): string {
    assertRepositoryName(owner, name);
    const resolved = path.resolve(this.root, owner, `${name}.git`);
    // Names are validated above; this guards the invariant itself.
    if (!resolved.startsWith(this.root + path.sep)) {
      throw new InputError(`Invalid repository ${owner}/${name}`);
    }
    return resolved;
  }

  async create(
    owner: string,
    name: string,
    options: CreateRepositoryOptions = {},
  ): Promise<RepositoryDetails> {
    const repoPath = this.repositoryPath(owner, name);
    const defaultBranch = options.defaultBranch ?? 'master';
    await this.assertBranchName(defaultBranch);
    const description = cleanDescription(options.description);

    await fs.mkdir(path.dirname(repoPath), { recursive: true });
    try {
      // mkdir without recursive is the atomic "does it exist" check.
      await fs.mkdir(repoPath);
    } catch (error) {
      assertError(error);
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ConflictError(`Repository ${owner}/${name} already exists`);
      }
      throw error;
    }
    try {
      await runGit([
        'init',
        '--bare',
        '--quiet',
        // No sample hooks or description file: nothing executable in the repo.
        '--template=',
        `--initial-branch=${defaultBranch}`,
        repoPath,
      ]);
      // Refuse malformed objects on push (e.g. trees with '..' or '.git' entries).
      await runGit(['config', 'receive.fsckObjects', 'true'], {
        gitDir: repoPath,
      });
      if (description) {
        await fs.writeFile(
          path.join(repoPath, 'description'),
          `${description}\n`,
        );
      }
    } catch (error) {
      await fs.rm(repoPath, { recursive: true, force: true });
      throw error;
    }
    return {
      owner,
      name,
      defaultBranch,
      ...(description ? { description } : {}),
    };
  }

  async exists(owner: string, name: string): Promise<boolean> {
    const repoPath = this.repositoryPath(owner, name);
    try {
      // lstat: a symlink planted in the root (as owner folder or repository)
      // does not count, so nothing outside the root is ever served.
      const [ownerDir, dir, head] = await Promise.all([
        fs.lstat(path.dirname(repoPath)),
        fs.lstat(repoPath),
        fs.lstat(path.join(repoPath, 'HEAD')),
      ]);
      return ownerDir.isDirectory() && dir.isDirectory() && head.isFile();
    } catch {
      return false;
    }
  }

  async list(): Promise<RepositoryRef[]> {
    const result: RepositoryRef[] = [];
    for (const owner of await readDirs(this.root)) {
      if (!isValidRepositoryName(owner)) continue;
      for (const entry of await readDirs(path.join(this.root, owner))) {
        if (!entry.endsWith('.git')) continue;
        const name = entry.slice(0, -'.git'.length);
        if (isValidRepositoryName(name) && (await this.exists(owner, name))) {
          result.push({ owner, name });
        }
      }
    }
    return result.sort(
      (a, b) =>
        a.owner.localeCompare(b.owner, 'en') ||
        a.name.localeCompare(b.name, 'en'),
    );
  }

  async describe(owner: string, name: string): Promise<RepositoryDetails> {
    const gitDir = await this.existingRepository(owner, name);
    const defaultBranch = await readDefaultBranch(gitDir);
    const headCommit = await this.tryRevParse(
      gitDir,
      `refs/heads/${defaultBranch}`,
    );
    const description = cleanDescription(
      await fs
        .readFile(path.join(gitDir, 'description'), 'utf8')
        .catch(() => undefined),
    );
    return {
      owner,
      name,
      defaultBranch,
      ...(headCommit ? { headCommit } : {}),
      ...(description ? { description } : {}),
    };
  }

  async defaultBranch(owner: string, name: string): Promise<string> {
    return readDefaultBranch(await this.existingRepository(owner, name));
  }

  async resolveRef(owner: string, name: string, ref: string): Promise<string> {
    assertRefName(ref);
    const gitDir = await this.existingRepository(owner, name);
    const sha = await this.tryRevParse(
      gitDir,
      await this.qualifyRef(gitDir, owner, name, ref),
    );
    if (!sha) {
      throw new NotFoundError(`No ref or commit ${ref} in ${owner}/${name}`);
    }
    return sha;
  }

  /**
   * The one object a ref name means, never git's own guess (which prefers a
   * tag over a branch of the same name): `refs/heads/X`, else `refs/tags/X`,
   * else a full commit id. A short name that is both a branch and a tag is
   * refused with the reason; a full `refs/heads/X` or `refs/tags/X` is
   * always unambiguous.
   */
  private async qualifyRef(
    gitDir: string,
    owner: string,
    name: string,
    ref: string,
  ): Promise<string> {
    if (
      ref === 'HEAD' ||
      ref.startsWith('refs/heads/') ||
      ref.startsWith('refs/tags/')
    ) {
      return ref;
    }
    const branch = `refs/heads/${ref}`;
    const tag = `refs/tags/${ref}`;
    const found = (
      await runGitText(['for-each-ref', '--format=%(refname)', branch, tag], {
        gitDir,
      })
    )
      .split('\n')
      .filter(line => line === branch || line === tag);
    if (found.length === 2) {
      throw new ConflictError(
        `Ref ${ref} of ${owner}/${name} is ambiguous: it names both a branch and a tag; use ${branch} or ${tag}`,
      );
    }
    if (found.length === 1) return found[0];
    if (isFullSha(ref)) return ref;
    throw new NotFoundError(
      `No branch, tag or commit ${ref} in ${owner}/${name} (commits are named by their full 40-character id)`,
    );
  }

  async listRefs(owner: string, name: string): Promise<Record<string, string>> {
    const gitDir = await this.existingRepository(owner, name);
    return listRefsAt(gitDir);
  }

  async splitRefAndPath(
    owner: string,
    name: string,
    segments: string[],
  ): Promise<{ ref: string; path: string }> {
    if (segments.length === 0 || !segments[0]) {
      throw new InputError('A ref is required after blob/ or tree/');
    }
    if (segments.length > 1) {
      const names = new Set<string>();
      for (const ref of Object.keys(await this.listRefs(owner, name))) {
        const short = ref.replace(/^refs\/(heads|tags)\//, '');
        if (short !== ref) names.add(short).add(ref);
      }
      for (let k = segments.length; k > 1; k--) {
        const candidate = segments.slice(0, k).join('/');
        if (names.has(candidate)) {
          return {
            ref: candidate,
            path: normalizeRepoPath(segments.slice(k).join('/')),
          };
        }
      }
    }
    assertRefName(segments[0]);
    return {
      ref: segments[0],
      path: normalizeRepoPath(segments.slice(1).join('/')),
    };
  }

  async readFile(
    owner: string,
    name: string,
    ref: string,
    filePath: string,
  ): Promise<RepositoryFile> {
    const file = await this.fileEntry(owner, name, ref, filePath);
    const content = await this.#reads.run(() =>
      runGit(['cat-file', 'blob', file.sha], { gitDir: file.gitDir }),
    );
    return { path: file.path, content, sha: file.sha, commit: file.commit };
  }

  async openFile(
    owner: string,
    name: string,
    ref: string,
    filePath: string,
  ): Promise<RepositoryBlob> {
    const file = await this.fileEntry(owner, name, ref, filePath);
    return {
      path: file.path,
      sha: file.sha,
      commit: file.commit,
      size: file.size,
      stream: () => this.streamBlob(file.gitDir, file.sha),
    };
  }

  /**
   * The blob a file path names at a ref, checked before any of it is read:
   * a file (not a folder, a link or a submodule) no larger than
   * `maxBlobBytes`.
   */
  private async fileEntry(
    owner: string,
    name: string,
    ref: string,
    filePath: string,
  ): Promise<{
    path: string;
    commit: string;
    gitDir: string;
    sha: string;
    size: number;
  }> {
    const normalized = normalizeRepoPath(filePath);
    if (!normalized) {
      throw new InputError('A file path is required');
    }
    const commit = await this.resolveRef(owner, name, ref);
    const gitDir = this.repositoryPath(owner, name);
    const out = await runGit(
      ['ls-tree', '-z', '--long', '--full-tree', commit, '--', normalized],
      { gitDir },
    );
    const entry = parseLsTree(out, true).find(e => e.path === normalized);
    const where = `${normalized} at ${ref} in ${owner}/${name}`;
    if (!entry) {
      throw new NotFoundError(`No file ${where}`);
    }
    if (entry.objectType === 'tree') {
      throw new InputError(`${where} is a folder, not a file`);
    }
    if (entry.mode === MODE_SYMLINK) {
      throw new NotAllowedError(
        `${where} is a symbolic link; links are never followed`,
      );
    }
    if (entry.mode === MODE_GITLINK || entry.objectType !== 'blob') {
      throw new NotFoundError(`${where} is a submodule, not a file`);
    }
    const size = entry.size ?? 0;
    this.assertBlobSize(size, where);
    return { path: normalized, commit, gitDir, sha: entry.sha, size };
  }

  /** Refuses a file larger than `maxBlobBytes`, before any of it is read. */
  private assertBlobSize(size: number, where: string) {
    if (size > this.maxBlobBytes) {
      throw new NotAllowedError(
        `${where} is ${size} bytes, more than the ${this.maxBlobBytes} bytes served (githost.limits.maxBlobBytes)`,
      );
    }
  }

  /**
   * The blob's content as a stream from `git cat-file`: never held whole in
   * memory. It takes one of the concurrent read slots until it ends.
   */
  private streamBlob(gitDir: string, sha: string): Readable {
    const reads = this.#reads;
    return Readable.from(
      (async function* read() {
        const release = await reads.acquire();
        const child = spawn(
          'git',
          [`--git-dir=${gitDir}`, 'cat-file', 'blob', sha],
          { env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'] },
        );
        try {
          for await (const chunk of child.stdout) yield chunk as Buffer;
        } finally {
          child.kill('SIGKILL');
          release();
        }
      })(),
      { objectMode: false },
    );
  }

  async readBlob(owner: string, name: string, sha: string): Promise<Buffer> {
    if (!isFullSha(sha)) {
      throw new InputError(`Invalid object name ${JSON.stringify(sha)}`);
    }
    const gitDir = await this.existingRepository(owner, name);
    try {
      const size = Number(
        await runGitText(['cat-file', '-s', sha], { gitDir }),
      );
      this.assertBlobSize(size, `Blob ${sha} in ${owner}/${name}`);
      return await this.#reads.run(() =>
        runGit(['cat-file', 'blob', sha], { gitDir }),
      );
    } catch (error) {
      if (error instanceof GitCommandError) {
        throw new NotFoundError(`No blob ${sha} in ${owner}/${name}`);
      }
      throw error;
    }
  }

  async listTree(
    owner: string,
    name: string,
    ref: string,
    subdir: string = '',
  ): Promise<{ commit: string; entries: RepositoryTreeEntry[] }> {
    const folder = normalizeRepoPath(subdir);
    const commit = await this.resolveRef(owner, name, ref);
    const gitDir = this.repositoryPath(owner, name);
    const treeish = folder ? `${commit}:${folder}` : `${commit}^{tree}`;
    let objectType: string;
    try {
      objectType = await runGitText(['cat-file', '-t', treeish], { gitDir });
    } catch (error) {
      if (error instanceof GitCommandError) {
        throw new NotFoundError(
          `No folder ${folder} at ${ref} in ${owner}/${name}`,
        );
      }
      throw error;
    }
    if (objectType !== 'tree') {
      throw new InputError(
        `${folder} at ${ref} in ${owner}/${name} is a file, not a folder`,
      );
    }
    const out = await runGit(['ls-tree', '-r', '-z', '--long', treeish], {
      gitDir,
    });
    const entries = parseLsTree(out, true).map(e => ({
      path: e.path,
      type: entryType(e.mode),
      mode: e.mode,
      sha: e.sha,
      ...(e.size !== undefined ? { size: e.size } : {}),
    }));
    return { commit, entries };
  }

  async readCommits(
    owner: string,
    name: string,
    update: RefUpdate,
    options: { limit: number; otherRefs?: string[] },
  ): Promise<{ commits: CommitInfo[]; total: number }> {
    const gitDir = await this.existingRepository(owner, name);
    const { before, after } = update;
    if (!isFullSha(after) || after === ZERO_SHA) {
      return { commits: [], total: 0 };
    }
    let range: string[];
    if (before === ZERO_SHA) {
      const others = (options.otherRefs ?? []).filter(isFullSha);
      range = others.length ? [after, '--not', ...others] : [after];
    } else if (isFullSha(before)) {
      range = [`${before}..${after}`];
    } else {
      throw new InputError(`Invalid object name ${JSON.stringify(before)}`);
    }
    const limit = Math.max(0, Math.floor(options.limit));
    // One git process for the commits and their files; --max-count keeps
    // the newest commits, --reverse then lists them oldest first.
    const commits =
      limit > 0
        ? await logCommits(gitDir, [
            '--reverse',
            `--max-count=${limit}`,
            ...range,
          ])
        : [];
    // Fewer than the limit: that is all of them, nothing more to count.
    const total =
      commits.length < limit
        ? commits.length
        : Number(
            await runGitText(['rev-list', '--count', ...range], { gitDir }),
          );
    return { commits, total };
  }

  async readCommit(
    owner: string,
    name: string,
    rev: string,
  ): Promise<CommitInfo> {
    const commit = await this.resolveRef(owner, name, rev);
    const [info] = await logCommits(this.repositoryPath(owner, name), [
      '--no-walk',
      commit,
    ]);
    if (!info) {
      throw new NotFoundError(`No commit ${rev} in ${owner}/${name}`);
    }
    return info;
  }

  async isAncestor(
    owner: string,
    name: string,
    ancestor: string,
    descendant: string,
  ): Promise<boolean> {
    const gitDir = await this.existingRepository(owner, name);
    if (!isFullSha(ancestor) || !isFullSha(descendant)) {
      throw new InputError('isAncestor takes full object names');
    }
    try {
      await runGit(['merge-base', '--is-ancestor', ancestor, descendant], {
        gitDir,
      });
      return true;
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 1) {
        return false;
      }
      throw error;
    }
  }

  async commitDirectory(
    owner: string,
    name: string,
    options: CommitDirectoryOptions,
  ): Promise<RefUpdate> {
    const gitDir = await this.existingRepository(owner, name);
    await this.assertBranchName(options.branch);
    const author = assertPerson('author', options.author);
    const committer = assertPerson(
      'committer',
      options.committer ?? options.author,
    );
    const sourceDir = path.resolve(options.sourceDir);
    if (!(await fs.stat(sourceDir).catch(() => undefined))?.isDirectory()) {
      throw new InputError(`${options.sourceDir} is not a folder`);
    }
    const ref = `refs/heads/${options.branch}`;
    // A private index: nothing is written to the source folder.
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'githost-index-'));
    try {
      const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
      const workTree = `--work-tree=${sourceDir}`;
      await runGit([workTree, 'add', '--all'], {
        gitDir,
        cwd: sourceDir,
        env,
      });
      const tree = await runGitText([workTree, 'write-tree'], {
        gitDir,
        cwd: sourceDir,
        env,
      });
      const parent = await this.tryRevParse(gitDir, ref);
      const commit = await runGitText(
        [
          'commit-tree',
          tree,
          ...(parent ? ['-p', parent] : []),
          '-m',
          options.message,
        ],
        {
          gitDir,
          env: {
            GIT_AUTHOR_NAME: author.name,
            GIT_AUTHOR_EMAIL: author.email,
            GIT_COMMITTER_NAME: committer.name,
            GIT_COMMITTER_EMAIL: committer.email,
          },
        },
      );
      // The old value makes the update atomic against a concurrent push.
      await runGit(
        [
          'update-ref',
          '-m',
          'githost: commit',
          ref,
          commit,
          parent ?? ZERO_SHA,
        ],
        { gitDir },
      );
      return { ref, before: parent ?? ZERO_SHA, after: commit };
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  async withWriteLock<T>(
    owner: string,
    name: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    const key = this.repositoryPath(owner, name);
    const previous = writeLocks.get(key) ?? Promise.resolve();
    let release: () => void = () => {};
    const current = new Promise<void>(resolve => {
      release = resolve;
    });
    const chained = previous.then(() => current);
    writeLocks.set(key, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (writeLocks.get(key) === chained) writeLocks.delete(key);
    }
  }

  private async existingRepository(owner: string, name: string) {
    const repoPath = this.repositoryPath(owner, name);
    if (!(await this.exists(owner, name))) {
      throw new NotFoundError(`Repository ${owner}/${name} not found`);
    }
    return repoPath;
  }

  private async tryRevParse(
    gitDir: string,
    ref: string,
  ): Promise<string | undefined> {
    try {
      const sha = await runGitText(
        [
          'rev-parse',
          '--verify',
          '--quiet',
          '--end-of-options',
          `${ref}^{commit}`,
        ],
        { gitDir },
      );
      return isFullSha(sha) ? sha : undefined;
    } catch (error) {
      if (error instanceof GitCommandError) return undefined;
      throw error;
    }
  }

  private async assertBranchName(branch: string) {
    assertRefName(branch);
    try {
      await runGit(['check-ref-format', `refs/heads/${branch}`]);
    } catch {
      throw new InputError(`Invalid branch name ${JSON.stringify(branch)}`);
    }
  }
}

/**
 * Refs of a repository folder, `refs/...` → object name: read from git's
 * ref files (no process to start, on the push path), or from
 * `git for-each-ref` when the files cannot answer for sure.
 */
export async function listRefsAt(
  gitDir: string,
): Promise<Record<string, string>> {
  const fromFiles = await readRefsFromFiles(gitDir);
  if (fromFiles) return fromFiles;
  const out = await runGitText(
    ['for-each-ref', '--format=%(objectname) %(refname)'],
    { gitDir },
  );
  const refs: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) refs[line.slice(space + 1)] = line.slice(0, space);
  }
  return refs;
}

/** One line of plain text, at most 500 characters. */
function cleanDescription(value: string | undefined): string | undefined {
  const line = value
    // eslint-disable-next-line no-control-regex
    ?.replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 500);
  return line || undefined;
}

function entryType(mode: string): RepositoryTreeEntry['type'] {
  if (mode === MODE_SYMLINK) return 'symlink';
  if (mode === MODE_GITLINK) return 'submodule';
  return 'file';
}

async function readDirs(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter(e => e.isDirectory()).map(e => e.name);
  } catch {
    return [];
  }
}

interface LsTreeEntry {
  mode: string;
  objectType: string;
  sha: string;
  size?: number;
  path: string;
}

/** Parses `git ls-tree -z [--long]` output. */
function parseLsTree(out: Buffer, long: boolean): LsTreeEntry[] {
  const entries: LsTreeEntry[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, objectType, sha, size] = record
      .slice(0, tab)
      .trim()
      .split(/\s+/);
    const parsedSize = long && size && size !== '-' ? Number(size) : undefined;
    entries.push({
      mode,
      objectType,
      sha,
      path: record.slice(tab + 1),
      ...(parsedSize !== undefined ? { size: parsedSize } : {}),
    });
  }
  return entries;
}

/**
 * The branch HEAD points at. HEAD is a one-line file in every bare
 * repository the store creates (`ref: refs/heads/<branch>`): read without a
 * git process, which every push pays for (branch protection, push events).
 */
async function readDefaultBranch(gitDir: string): Promise<string> {
  const symbolic = /^ref: refs\/heads\/(\S+)\n?$/.exec(
    await fs.readFile(path.join(gitDir, 'HEAD'), 'utf8'),
  );
  if (symbolic) return symbolic[1];
  return (
    await runGitText(['symbolic-ref', '--quiet', 'HEAD'], { gitDir })
  ).replace(/^refs\/heads\//, '');
}

/**
 * Commits with the files each changed against its first parent (as GitHub
 * reports merge commits), from one `git log` however many there are.
 * `revisions` are log options and full object names only. Each commit's
 * fields are framed by markers holding a random nonce, so that no commit
 * message or file name can forge the framing.
 */
async function logCommits(
  gitDir: string,
  revisions: string[],
): Promise<CommitInfo[]> {
  const nonce = randomBytes(16).toString('hex');
  const begin = `\0${nonce}<\0`;
  const end = `\0${nonce}>`;
  const format = [
    `%x00${nonce}<`,
    // id, tree, parents, author name/email/date, committer name/email/date, message
    '%H',
    '%T',
    '%P',
    '%an',
    '%ae',
    '%aI',
    '%cn',
    '%ce',
    '%cI',
    `%B%x00${nonce}>`,
  ].join('%x00');
  const out = (
    await runGit(
      [
        'log',
        '-z',
        `--format=${format}`,
        '--name-status',
        '--no-renames',
        '--root',
        '--diff-merges=first-parent',
        ...revisions,
      ],
      { gitDir },
    )
  ).toString('utf8');
  const commits: CommitInfo[] = [];
  for (const chunk of out.split(begin).slice(1)) {
    const close = chunk.indexOf(end);
    if (close < 0) {
      throw new Error(`Unexpected output of git log in ${gitDir}`);
    }
    const fields = chunk.slice(0, close).split('\0');
    const [sha, treeId, parentList, an, ae, ad, cn, ce, cd] = fields;
    const message = fields.slice(9).join('\0').replace(/\n+$/, '');
    // After the marker: `\0\n` then `<status>\0<path>\0` pairs when the
    // commit changed files; a lone `\0` (or nothing) when it did not.
    const rest = chunk.slice(close + end.length);
    const diff = rest.startsWith('\0\n') ? rest.slice(2).split('\0') : [];
    const added: string[] = [];
    const removed: string[] = [];
    const modified: string[] = [];
    for (let i = 0; i + 1 < diff.length && diff[i]; i += 2) {
      const status = diff[i];
      const file = diff[i + 1];
      if (status === 'A') added.push(file);
      else if (status === 'D') removed.push(file);
      else modified.push(file);
    }
    commits.push({
      id: sha,
      treeId,
      parents: parentList.split(' ').filter(Boolean),
      message,
      author: { name: an, email: ae, date: ad },
      committer: { name: cn, email: ce, date: cd },
      added,
      removed,
      modified,
    });
  }
  return commits;
}

function assertPerson(
  role: string,
  person: { name: string; email: string },
): { name: string; email: string } {
  const ok = (v: unknown) =>
    typeof v === 'string' &&
    v.trim().length > 0 &&
    v.length <= 200 &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f<>]/.test(v);
  if (!ok(person?.name) || !ok(person?.email)) {
    throw new InputError(`Invalid git ${role} name or email`);
  }
  return person;
}
