/**
 * Which repository a URL points into. GitHub and the local git hosting
 * address files the same way: `<htmlUrl>/blob/<ref>/<path>` and folders
 * `<htmlUrl>/tree/<ref>/<path>`, where `<htmlUrl>` is the repository's page
 * (`https://github.com/o/r`, `<githost base>/<owner>/<name>`).
 */

/** A repository page URL taken apart for comparisons. */
export interface RepositoryUrl {
  /** Scheme, host (lower case, as the URL parser gives it) and port. */
  readonly origin: string;
  /** The path without trailing slashes or `.git`, as sent (encoded). */
  readonly path: string;
  /** GitHub compares owner and name without regard to case. */
  readonly caseInsensitive: boolean;
}

/** Parses a repository's page (or clone) URL; undefined if it is none. */
export function parseRepositoryUrl(htmlUrl: string): RepositoryUrl | undefined {
  let url: URL;
  try {
    url = new URL(htmlUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const path = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
  // At least owner/name.
  if (path.split('/').filter(Boolean).length < 2) return undefined;
  return {
    origin: url.origin,
    path,
    caseInsensitive: url.hostname === 'github.com',
  };
}

/** A URL inside a repository: the part after `<htmlUrl>/blob|tree/`. */
export interface UrlInRepository {
  readonly kind: 'blob' | 'tree';
  /** The encoded segments after blob/ or tree/: the ref, then the path. */
  readonly segments: string[];
}

/**
 * The part of `value` (a URL, or a location `url:<URL>`) inside the
 * repository, or undefined when it points elsewhere: another host, another
 * repository (also one whose name only starts the same, `repo-2` for
 * `repo`), or the repository's page without a ref.
 */
export function urlInRepository(
  repository: RepositoryUrl,
  value: string,
): UrlInRepository | undefined {
  const raw = value.startsWith('url:') ? value.slice(4) : value;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.origin !== repository.origin) return undefined;
  const fold = (s: string) =>
    repository.caseInsensitive ? s.toLocaleLowerCase('en-US') : s;
  const prefix = `${fold(repository.path)}/`;
  if (!fold(url.pathname).startsWith(prefix)) return undefined;
  const [kind, ...segments] = url.pathname.slice(prefix.length).split('/');
  if ((kind !== 'blob' && kind !== 'tree') || !segments[0]) return undefined;
  return { kind, segments };
}
