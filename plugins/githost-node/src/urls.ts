import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readGithostBaseUrl } from './config';
import { assertRepositoryName } from './services/names';

/**
 * A githost URL taken apart: `<base>/<owner>/<name>/<kind>/<rest...>`.
 *
 * @public
 */
export interface ParsedGithostUrl {
  owner: string;
  name: string;
  kind: 'blob' | 'tree';
  /** The decoded segments after `blob/` or `tree/`: the ref, then the path. */
  segments: string[];
}

/**
 * Builds and parses the URLs of hosted repositories.
 *
 * - clone: `<base>/<owner>/<name>.git`
 * - repository page (GitHub's html_url): `<base>/<owner>/<name>`
 * - file: `<base>/<owner>/<name>/blob/<ref>/<path>`
 * - folder: `<base>/<owner>/<name>/tree/<ref>/<path>`
 *
 * where `<base>` is `githost.baseUrl`, by default
 * `<backend.baseUrl>/api/githost`.
 *
 * @public
 */
export class GithostUrls {
  readonly baseUrl: string;
  readonly #base: URL;

  static fromConfig(config: Config): GithostUrls {
    return new GithostUrls(readGithostBaseUrl(config));
  }

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#base = new URL(this.baseUrl);
  }

  /** The host (with port) of the base URL, e.g. `localhost:7007`. */
  get host(): string {
    return this.#base.host;
  }

  cloneUrl(owner: string, name: string): string {
    return `${this.baseUrl}/${owner}/${name}.git`;
  }

  htmlUrl(owner: string, name: string): string {
    return `${this.baseUrl}/${owner}/${name}`;
  }

  blobUrl(owner: string, name: string, ref: string, path: string): string {
    return `${this.htmlUrl(owner, name)}/blob/${encodePath(ref)}/${encodePath(
      path,
    )}`;
  }

  treeUrl(owner: string, name: string, ref: string, path = ''): string {
    const url = `${this.htmlUrl(owner, name)}/tree/${encodePath(ref)}`;
    return path ? `${url}/${encodePath(path)}` : url;
  }

  /** True for URLs on the base URL's origin under its path. */
  matches(url: URL): boolean {
    return (
      url.origin === this.#base.origin &&
      url.pathname.startsWith(`${this.#base.pathname.replace(/\/+$/, '')}/`)
    );
  }

  /**
   * Parses a blob or tree URL. Each segment is decoded on its own, so an
   * encoded '/' or '..' cannot change which folder is meant: such segments
   * are refused later by the path checks.
   */
  parse(url: URL): ParsedGithostUrl {
    if (!this.matches(url)) {
      throw new InputError(`${url} is not a githost URL`);
    }
    const prefix = this.#base.pathname.replace(/\/+$/, '');
    return parseRepositoryPath(url.pathname.slice(prefix.length));
  }
}

/**
 * Parses `/<owner>/<name>/(blob|tree)/<segments...>` (raw, URL-encoded
 * pathname relative to the githost base).
 *
 * @public
 */
export function parseRepositoryPath(pathname: string): ParsedGithostUrl {
  const raw = pathname.split('/').slice(1);
  let segments: string[];
  try {
    segments = raw.map(s => decodeURIComponent(s));
  } catch {
    throw new InputError(`Malformed URL path ${pathname}`);
  }
  const [owner, name, kind, ...rest] = segments;
  if (kind !== 'blob' && kind !== 'tree') {
    throw new InputError(
      `Expected <owner>/<name>/blob/<ref>/<path> or <owner>/<name>/tree/<ref>/<path>, got ${pathname}`,
    );
  }
  assertRepositoryName(owner, name);
  // A trailing slash leaves an empty segment; it names the same folder.
  while (rest.length > 1 && rest[rest.length - 1] === '') rest.pop();
  return { owner, name, kind, segments: rest };
}

function encodePath(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}
