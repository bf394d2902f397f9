import { Readable } from 'node:stream';
import {
  LoggerService,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  ReadTreeResponseFactory,
  ReadUrlResponseFactory,
  ReaderFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { InputError, NotFoundError, NotModifiedError } from '@backstage/errors';
import {
  GitRepositoryStore,
  GithostUrls,
  RepositoryStore,
} from '@gitops/plugin-githost-node';
import { compileGlob, hasGlob, splitStaticPrefix } from './glob';

/**
 * Reads files and folders of the local git hosting for Backstage's
 * UrlReader, straight from the repositories on disk (no HTTP):
 *
 * - `<base>/<owner>/<name>/blob/<ref>/<path>`: a file (`readUrl`; a `tree/`
 *   URL naming a file works too, as `catalog:register` builds those)
 * - `<base>/<owner>/<name>/tree/<ref>/<path>`: a folder (`readTree`)
 * - either with a glob as the path (`search`)
 *
 * Symbolic links are never followed: reading one is refused, and trees and
 * searches leave them out.
 *
 * @public
 */
export class GithostUrlReader implements UrlReaderService {
  /** Registers a reader for URLs under the githost base URL. */
  static factory: ReaderFactory = ({ config, logger, treeResponseFactory }) => {
    if (!config.has('githost.baseUrl') && !config.has('backend.baseUrl')) {
      return [];
    }
    const urls = GithostUrls.fromConfig(config);
    const reader = new GithostUrlReader({
      store: GitRepositoryStore.fromConfig(config),
      urls,
      treeResponseFactory,
      logger,
    });
    return [{ reader, predicate: (url: URL) => urls.matches(url) }];
  };

  readonly #store: RepositoryStore;
  readonly #urls: GithostUrls;
  readonly #treeResponseFactory: ReadTreeResponseFactory;
  readonly #logger?: LoggerService;

  constructor(options: {
    store: RepositoryStore;
    urls: GithostUrls;
    treeResponseFactory: ReadTreeResponseFactory;
    logger?: LoggerService;
  }) {
    this.#store = options.store;
    this.#urls = options.urls;
    this.#treeResponseFactory = options.treeResponseFactory;
    this.#logger = options.logger;
  }

  async read(url: string): Promise<Buffer> {
    return (await this.readUrl(url)).buffer();
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const { owner, name, ref, path } = await this.#locate(url);
    // Size checked first (githost.limits.maxBlobBytes); the content is
    // streamed from git when the caller reads it, never held whole here.
    const file = await this.#store.openFile(owner, name, ref, path);
    if (options?.etag && options.etag === file.sha) {
      throw new NotModifiedError();
    }
    return ReadUrlResponseFactory.fromReadable(file.stream(), {
      etag: file.sha,
    });
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const { owner, name, ref, path } = await this.#locate(url);
    const { commit, entries } = await this.#store.listTree(
      owner,
      name,
      ref,
      path,
    );
    if (options?.etag && options.etag === commit) {
      throw new NotModifiedError();
    }
    const files = entries.filter(entry => {
      if (entry.type !== 'file') {
        this.#logger?.debug(
          `Left out ${entry.type} ${entry.path} of ${owner}/${name}: not a regular file`,
        );
        return false;
      }
      return options?.filter?.(entry.path, { size: entry.size ?? 0 }) ?? true;
    });
    const response = await this.#treeResponseFactory.fromReadableArray(
      files.map(entry => ({
        path: entry.path,
        data: this.#lazyBlob(owner, name, entry.sha),
      })),
    );
    // fromReadableArray has no etag of its own: the commit is ours.
    return {
      files: () => response.files(),
      archive: () => response.archive(),
      dir: dirOptions => response.dir(dirOptions),
      etag: commit,
    };
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    const { owner, name, ref, path: pattern } = await this.#locate(url);
    // Checked (and refused with the reason) before anything runs.
    const glob = hasGlob(pattern) ? compileGlob(pattern) : undefined;
    if (glob && !glob.ok) throw new InputError(glob.reason);
    const commit = await this.#store.resolveRef(owner, name, ref);
    if (options?.etag && options.etag === commit) {
      throw new NotModifiedError();
    }
    if (!glob) {
      try {
        const file = await this.#store.readFile(owner, name, commit, pattern);
        return {
          etag: commit,
          files: [
            {
              url: this.#urls.blobUrl(owner, name, ref, file.path),
              content: async () => file.content,
            },
          ],
        };
      } catch (error) {
        if (error instanceof NotFoundError) return { etag: commit, files: [] };
        throw error;
      }
    }
    const { prefix } = splitStaticPrefix(pattern);
    let entries;
    try {
      entries = (await this.#store.listTree(owner, name, commit, prefix))
        .entries;
    } catch (error) {
      if (error instanceof NotFoundError) return { etag: commit, files: [] };
      throw error;
    }
    return {
      etag: commit,
      files: entries
        .map(e => ({ ...e, fullPath: prefix ? `${prefix}/${e.path}` : e.path }))
        .filter(e => e.type === 'file' && glob.match(e.fullPath))
        .map(({ fullPath, sha }) => {
          return {
            url: this.#urls.blobUrl(owner, name, ref, fullPath),
            content: () => this.#store.readBlob(owner, name, sha),
          };
        }),
    };
  }

  toString() {
    return `githost{baseUrl=${this.#urls.baseUrl}}`;
  }

  async #locate(url: string) {
    const { owner, name, segments } = this.#urls.parse(new URL(url));
    const { ref, path } = await this.#store.splitRefAndPath(
      owner,
      name,
      segments,
    );
    return { owner, name, ref, path };
  }

  /** A stream that reads the blob only when consumed. */
  #lazyBlob(owner: string, name: string, sha: string): Readable {
    const store = this.#store;
    return Readable.from(
      (async function* read() {
        yield await store.readBlob(owner, name, sha);
      })(),
    );
  }
}

/**
 * Adds the githost URL reader to Backstage's UrlReader, so the catalog (and
 * every other plugin) can read `<base>/<owner>/<name>/blob/...` and
 * `.../tree/...` URLs. Add it to the backend next to the githost plugin.
 *
 * @public
 */
export const githostUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return GithostUrlReader.factory;
  },
});
