import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tempDirs: string[] = [];

/**
 * A new temporary folder, removed by {@link cleanupTempDirs}.
 *
 * @public
 */
export function tempDir(prefix = 'githost-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/**
 * Removes every folder {@link tempDir} made.
 *
 * @public
 */
export function cleanupTempDirs() {
  for (const dir of tempDirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The outcome of a git command run by {@link createGitClient}.
 *
 * @public
 */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The real git command line as a user would run it, in an isolated HOME
 * (no user or system config, no proxies, fixed identity).
 *
 * @public
 */
export function createGitClient() {
  const home = tempDir('githost-home-');
  fs.writeFileSync(
    path.join(home, '.gitconfig'),
    '[init]\n\tdefaultBranch = master\n[user]\n\tname = Test User\n\temail = test@example.com\n',
  );
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
  const run = (args: string[], cwd?: string): Promise<GitResult> =>
    new Promise(resolve => {
      execFile(
        'git',
        args,
        { cwd, env, timeout: 60_000 },
        (error, stdout, stderr) => {
          const exitCode = (error as { code?: unknown } | null)?.code;
          let code = 0;
          if (error) code = typeof exitCode === 'number' ? exitCode : 1;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  /** Runs git and fails the test with git's output when it fails. */
  const git = async (args: string[], cwd?: string): Promise<string> => {
    const result = await run(args, cwd);
    if (result.code !== 0) {
      throw new Error(
        `git ${args.join(' ')} failed (${result.code}): ${result.stderr}`,
      );
    }
    return result.stdout.trim();
  };
  return { git, run, home };
}
