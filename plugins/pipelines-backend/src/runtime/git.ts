import { execFile } from 'node:child_process';
import { InputError, NotFoundError } from '@backstage/errors';

/** Most bytes read from `git ls-remote`. */
const MAX_OUTPUT = 1024 * 1024;

/**
 * The commit a branch points to, and the repository's default branch, from
 * the remote itself (`git ls-remote --symref`): the same for the local
 * hosting and GitHub. No shell; git never prompts; 30 s at most.
 */
export async function lsRemote(
  cloneUrl: string,
  ref?: string,
): Promise<{ ref: string; sha: string; defaultBranch: string }> {
  if (ref !== undefined && !/^[\w][\w./-]*$/.test(ref)) {
    throw new InputError(
      `ref "${ref}" is not a branch name (letters, digits, '.', '_', '-', '/')`,
    );
  }
  const args = ['ls-remote', '--symref', '--', cloneUrl, 'HEAD'];
  if (ref) args.push(`refs/heads/${ref}`);
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        timeout: 30_000,
        maxBuffer: MAX_OUTPUT,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
        },
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `git ls-remote ${cloneUrl} failed: ${
                stderr.trim().split('\n').pop() || error.message
              }`,
            ),
          );
        } else resolve(stdout);
      },
    );
  });
  let defaultBranch: string | undefined;
  let headSha: string | undefined;
  const heads = new Map<string, string>();
  for (const line of output.split('\n')) {
    const symref = /^ref: refs\/heads\/(\S+)\s+HEAD$/.exec(line);
    if (symref) {
      defaultBranch = symref[1];
      continue;
    }
    const [sha, name] = line.split('\t');
    if (!sha || !name) continue;
    if (name === 'HEAD') headSha = sha;
    else if (name.startsWith('refs/heads/')) heads.set(name.slice(11), sha);
  }
  if (!defaultBranch || !headSha) {
    throw new NotFoundError(
      `${cloneUrl} has no default branch yet (an empty repository?)`,
    );
  }
  if (!ref || ref === defaultBranch) {
    return { ref: defaultBranch, sha: headSha, defaultBranch };
  }
  const sha = heads.get(ref);
  if (!sha) throw new NotFoundError(`${cloneUrl} has no branch "${ref}"`);
  return { ref, sha, defaultBranch };
}
