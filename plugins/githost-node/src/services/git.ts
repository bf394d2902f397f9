import { execFile } from 'node:child_process';

/** Default time limit of a single git invocation against the store. */
export const GIT_TIMEOUT_MS = 30_000;

/** Largest output read from a single git invocation (file contents, lists). */
export const GIT_MAX_BUFFER = 64 * 1024 * 1024;

/**
 * The environment every git process runs with. Built from scratch rather than
 * inherited: an inherited GIT_DIR, GIT_INDEX_FILE or GIT_CONFIG_* would
 * redirect what git touches, and the backend's own secrets (database
 * passwords, tokens) have no business in a git child process or its hooks.
 *
 * @public
 */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    // No user or machine git config reaches the server side: a
    // ~/.gitconfig or /etc/gitconfig could set hooks paths, aliases,
    // credential helpers or `core.fsmonitor` commands that git would run
    // for every request. HOME points at a folder that does not exist, so
    // nothing else under the user's home is read either.
    HOME: '/nonexistent/githost-home',
    XDG_CONFIG_HOME: '/nonexistent/githost-home/.config',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    // Messages we parse or show must not be translated.
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // Paths we pass are file names, never pathspec magic like ':(glob)'.
    GIT_LITERAL_PATHSPECS: '1',
  };
  return { ...env, ...extra };
}

/**
 * Environment entries that set git config for one process only
 * (`GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`), e.g. the
 * limits of one push; nothing is written to the repository's config.
 *
 * @public
 */
export function gitConfigEnv(
  entries: Record<string, string>,
): Record<string, string> {
  const keys = Object.keys(entries);
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(keys.length) };
  keys.forEach((key, i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = entries[key];
  });
  return env;
}

/**
 * Options of {@link runGit}.
 *
 * @public
 */
export interface RunGitOptions {
  /** The repository (a bare repository's folder), passed as --git-dir. */
  gitDir?: string;
  /** Working directory of the process. */
  cwd?: string;
  /** Extra environment on top of {@link gitEnv}. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * A git process that exited with a non-zero code.
 *
 * @public
 */
export class GitCommandError extends Error {
  readonly exitCode: number | string | undefined;
  readonly stderr: string;
  constructor(
    args: string[],
    exitCode: number | string | undefined,
    stderr: string,
  ) {
    super(
      `git ${args[0] ?? ''} failed${
        exitCode !== undefined ? ` (${exitCode})` : ''
      }: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
    this.name = 'GitCommandError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/**
 * Runs git with an argument array (never a shell), a clean environment and a
 * time limit, and returns its standard output.
 *
 * @public
 */
export function runGit(
  args: string[],
  options: RunGitOptions = {},
): Promise<Buffer> {
  const fullArgs = options.gitDir
    ? [`--git-dir=${options.gitDir}`, ...args]
    : args;
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      fullArgs,
      {
        cwd: options.cwd,
        env: gitEnv(options.env),
        encoding: 'buffer',
        maxBuffer: GIT_MAX_BUFFER,
        timeout: options.timeoutMs ?? GIT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException & { code?: unknown })
            .code;
          reject(
            new GitCommandError(
              args,
              typeof code === 'number' || typeof code === 'string'
                ? code
                : undefined,
              `${stderr.toString('utf8')}${error.killed ? ' (timed out)' : ''}`,
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/**
 * {@link runGit}, output as trimmed UTF-8 text.
 *
 * @public
 */
export async function runGitText(
  args: string[],
  options: RunGitOptions = {},
): Promise<string> {
  return (await runGit(args, options)).toString('utf8').trim();
}
