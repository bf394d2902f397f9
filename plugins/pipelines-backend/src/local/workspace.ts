import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ExecutionSource } from '@gitops/plugin-pipelines-node';

/** The URL with any user and password removed, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString();
  } catch {
    return url;
  }
}

function git(
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; signal: AbortSignal },
): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: options.env,
        signal: options.signal,
        maxBuffer: 4 * 1024 * 1024,
        timeout: 10 * 60 * 1000,
      },
      (error, _stdout, stderr) => {
        if (error) {
          const detail = String(stderr).trim().split('\n').slice(-3).join(' ');
          reject(new Error(detail || error.message));
        } else {
          resolve();
        }
      },
    );
  });
}

/**
 * Clones the source into `dir` and checks out its commit. Extra headers (an
 * installation token) reach git through its environment-borne configuration
 * (GIT_CONFIG_COUNT), so they are neither on a command line nor in the
 * clone's `.git/config`; no prompt is ever shown. Throws an error whose
 * message is safe to log.
 */
export async function cloneAt(
  source: ExecutionSource,
  dir: string,
  signal: AbortSignal,
): Promise<void> {
  const headers = Object.entries(source.headers ?? {});
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_COUNT: String(headers.length),
  };
  headers.forEach(([name, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = 'http.extraHeader';
    env[`GIT_CONFIG_VALUE_${i}`] = `${name}: ${value}`;
  });
  const url = redactUrl(source.cloneUrl);
  if (!/^[0-9a-f]{7,64}$/i.test(source.sha)) {
    throw new Error(`cannot check out "${source.sha}": not a commit SHA`);
  }
  try {
    await git(
      ['clone', '--quiet', '--no-checkout', '--', source.cloneUrl, dir],
      { env, signal },
    );
  } catch (error) {
    throw new Error(`git clone of ${url} failed: ${redact(error, source)}`);
  }
  try {
    await git(['checkout', '--quiet', '--detach', source.sha], {
      cwd: dir,
      env,
      signal,
    });
  } catch {
    // Not on a branch of the clone (a pull request's merge commit): fetch
    // it by its ref, then by its SHA.
    try {
      await git(['fetch', '--quiet', 'origin', source.sha], {
        cwd: dir,
        env,
        signal,
      }).catch(error =>
        source.ref.startsWith('-')
          ? Promise.reject(error)
          : git(['fetch', '--quiet', 'origin', source.ref], {
              cwd: dir,
              env,
              signal,
            }),
      );
      await git(['checkout', '--quiet', '--detach', source.sha], {
        cwd: dir,
        env,
        signal,
      });
    } catch (error) {
      throw new Error(
        `commit ${source.sha} (${source.ref}) is not in ${url}: ${redact(
          error,
          source,
        )}`,
      );
    }
  }
}

function redact(error: unknown, source: ExecutionSource): string {
  let message = error instanceof Error ? error.message : String(error);
  message = message.split(source.cloneUrl).join(redactUrl(source.cloneUrl));
  for (const value of Object.values(source.headers ?? {})) {
    if (value) message = message.split(value).join('***');
  }
  return message;
}

/**
 * A folder inside the workspace, created if missing, refusing symlinks on
 * the way: a step may have replaced any part of the workspace with a link
 * out of it, and the executor (not sandboxed) must not follow one.
 */
export async function workspaceDir(
  workspace: string,
  ...segments: string[]
): Promise<string> {
  let current = workspace;
  for (const segment of segments) {
    current = path.join(current, segment);
    let stat;
    try {
      stat = await fs.lstat(current);
    } catch {
      await fs.mkdir(current);
      continue;
    }
    if (!stat.isDirectory()) {
      throw new Error(
        `${path.relative(
          workspace,
          current,
        )} in the workspace is not a folder (a step replaced it)`,
      );
    }
  }
  return current;
}

/**
 * Reads a regular file of the workspace, or undefined when it is missing;
 * refuses links out of the workspace and files over `maxBytes`.
 */
export async function readWorkspaceFile(
  workspace: string,
  relative: string,
  maxBytes: number,
): Promise<string | undefined> {
  const file = path.join(workspace, relative);
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch {
    return undefined;
  }
  const root = await fs.realpath(workspace);
  if (!real.startsWith(`${root}${path.sep}`)) {
    throw new Error(`${relative} points outside the workspace`);
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new Error(`${relative} is not a file`);
  if (stat.size > maxBytes) {
    throw new Error(`${relative} is larger than ${maxBytes} bytes`);
  }
  return fs.readFile(real, 'utf8');
}

/**
 * Regular files of the workspace matching a relative pattern (`*` and `?`
 * within one segment), with their modification times.
 */
export async function findWorkspaceFiles(
  workspace: string,
  pattern: string,
): Promise<Map<string, number>> {
  const segments = pattern.split('/');
  let found = [''];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const rel of found) {
      if (!/[*?]/.test(segment)) {
        next.push(path.posix.join(rel, segment));
        continue;
      }
      const re = new RegExp(
        `^${segment
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')}$`,
      );
      let entries: string[] = [];
      try {
        entries = await fs.readdir(path.join(workspace, rel));
      } catch {
        continue;
      }
      next.push(
        ...entries.filter(e => re.test(e)).map(e => path.posix.join(rel, e)),
      );
    }
    found = next;
    if (last) break;
  }
  const files = new Map<string, number>();
  for (const rel of found.sort()) {
    try {
      const stat = await fs.lstat(path.join(workspace, rel));
      // Links too: reading them refuses those that lead out of the workspace.
      if (stat.isFile() || stat.isSymbolicLink()) files.set(rel, stat.mtimeMs);
    } catch {
      // missing: nothing to read
    }
  }
  return files;
}
