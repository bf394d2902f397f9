/** A repository on a GitHub host, as the REST API names it. */
export interface GithubRepository {
  /** The host of the clone URL, e.g. `github.com` or a GitHub Enterprise host. */
  host: string;
  owner: string;
  repo: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Reads the host, owner and repository of a clone URL:
 * `https://github.com/acme/shop.git`, `https://github.com/acme/shop`,
 * `ssh://git@github.com/acme/shop.git` or `git@github.com:acme/shop.git`.
 * Anything else (another path shape, a local path) is `undefined`: such a
 * run is not on a GitHub host and gets no check run.
 */
export function parseGithubRepository(
  cloneUrl: string | undefined,
): GithubRepository | undefined {
  if (!cloneUrl) return undefined;
  let host: string;
  let path: string;
  const scp = /^[A-Za-z0-9_.-]+@([^:/]+):(.+)$/.exec(cloneUrl);
  if (scp) {
    host = scp[1];
    path = scp[2];
  } else {
    let url: URL;
    try {
      url = new URL(cloneUrl);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol)) {
      return undefined;
    }
    host = url.host;
    path = url.pathname;
  }
  const parts = path
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/');
  if (parts.length !== 2) return undefined;
  const [owner, repo] = parts;
  if (!NAME.test(owner) || !NAME.test(repo) || repo === '.' || repo === '..') {
    return undefined;
  }
  return { host: host.toLowerCase(), owner, repo };
}
