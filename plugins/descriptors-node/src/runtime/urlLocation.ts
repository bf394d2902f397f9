import { UrlReaderService } from '@backstage/backend-plugin-api';
import { isError, NotFoundError, NotModifiedError } from '@backstage/errors';
import {
  DEFAULT_YAML_LIMITS,
  DESCRIPTOR_FILES,
  DescriptorKind,
  DescriptorProblem,
  DescriptorSetSources,
  DescriptorSource,
  fileProblem,
  KUBERNETES_FOLDER,
  sortedBy,
} from '@gitops/descriptors-common';
import { MAX_MANIFEST_FILES } from '../repository';

/**
 * ETags of the files read at URLs, by URL (files and the kubernetes/ tree).
 *
 * @public
 */
export type UrlETags = Record<string, string>;

/**
 * What was read beside a catalog-info.yaml at a URL: the files, the
 * problems reading them, and the ETags for the next, conditional read.
 *
 * @public
 */
export interface UrlDescriptorFiles {
  readonly sources: DescriptorSetSources;
  readonly problems: DescriptorProblem[];
  readonly etags: UrlETags;
}

/**
 * Options of {@link readUrlLocation}.
 *
 * @public
 */
export interface ReadUrlLocationOptions {
  /** Largest file read; bigger ones are reported. */
  maxBytes?: number;
  /** ETags of an earlier read: every request is then conditional. */
  etags?: UrlETags;
  /**
   * Whether catalog-info.yaml itself is read (and required); true by
   * default. The catalog module leaves it out: the catalog has read the
   * component's own file already, whatever its name.
   */
  catalogInfo?: boolean;
}

type Read<T> =
  | { status: 'read'; value: T; etag?: string }
  | { status: 'absent' }
  | { status: 'not-modified' };

const isNamed = (error: unknown, name: string) =>
  isError(error) && error.name === name;

/** A read that tells "absent" and "not modified" apart from failures. */
async function conditionally<T>(
  read: (etag?: string) => Promise<{ value: T; etag?: string }>,
  etag?: string,
): Promise<Read<T>> {
  try {
    return { status: 'read', ...(await read(etag)) };
  } catch (error) {
    if (isNamed(error, NotFoundError.name)) return { status: 'absent' };
    if (etag && isNamed(error, NotModifiedError.name))
      return { status: 'not-modified' };
    throw error;
  }
}

const tooBig = (file: string, size: number, maxBytes: number) =>
  fileProblem(
    file,
    `file is ${size} bytes, more than the limit of ${maxBytes} bytes`,
  );

/**
 * Reads the descriptors beside a catalog-info.yaml at a URL through
 * Backstage's UrlReader (GitHub, the local git hosting, ...). Sibling files
 * are resolved relative to the catalog-info URL; kubernetes/ is read as a
 * tree (`.../tree/<ref>/<path>` for GitHub and the local hosting alike).
 *
 * Given the ETags of an earlier read, every request is conditional, as
 * Backstage's own UrlReaderProcessor does for catalog-info.yaml: when no file
 * changed (and none appeared or went away) the answer is `'unchanged'` and
 * nothing was downloaded, which keeps the catalog's regular refreshes cheap
 * and inside GitHub's rate limits.
 *
 * A file that is absent is no error (NotFoundError); any other failure of
 * the reader is thrown, for the caller to retry.
 *
 * @param target - the URL of catalog-info.yaml
 * @public
 */
export async function readUrlLocation(
  reader: UrlReaderService,
  target: string,
  options: ReadUrlLocationOptions = {},
): Promise<UrlDescriptorFiles | 'unchanged'> {
  const maxBytes = options.maxBytes ?? DEFAULT_YAML_LIMITS.maxBytes;
  const catalogInfo = options.catalogInfo ?? true;
  const previous = options.etags;
  const files = (Object.entries(DESCRIPTOR_FILES) as [DescriptorKind, string][])
    .filter(([kind]) => catalogInfo || kind !== 'catalog')
    .map(([kind, name]) => ({
      kind,
      name,
      url: new URL(name, target).toString(),
    }));
  const treeUrl = new URL(`${KUBERNETES_FOLDER}/`, target)
    .toString()
    .replace('/blob/', '/tree/')
    .replace(/\/$/, '');

  const readFile = (url: string, etag?: string) =>
    conditionally(async e => {
      const response = await reader.readUrl(url, e ? { etag: e } : {});
      return { value: await response.buffer(), etag: response.etag };
    }, etag);
  const readTree = (etag?: string) =>
    conditionally(async e => {
      const response = await reader.readTree(treeUrl, e ? { etag: e } : {});
      return { value: response, etag: response.etag };
    }, etag);

  let fileReads = await Promise.all(
    files.map(f => readFile(f.url, previous?.[f.url])),
  );
  let treeRead = await readTree(previous?.[treeUrl]);
  // Unchanged: each file answered "not modified", or is still absent.
  const same = (r: Read<unknown>, url: string) =>
    r.status === 'not-modified' ||
    (r.status === 'absent' && previous?.[url] === undefined);
  if (
    previous &&
    files.every((f, i) => same(fileReads[i], f.url)) &&
    same(treeRead, treeUrl)
  ) {
    return 'unchanged';
  }
  // Something changed: what answered "not modified" is read in full.
  fileReads = await Promise.all(
    files.map((f, i) =>
      fileReads[i].status === 'not-modified' ? readFile(f.url) : fileReads[i],
    ),
  );
  if (treeRead.status === 'not-modified') treeRead = await readTree();

  const etags: UrlETags = {};
  const problems: DescriptorProblem[] = [];
  const descriptors: Partial<Record<DescriptorKind, DescriptorSource>> = {};
  files.forEach(({ kind, name, url }, i) => {
    const read = fileReads[i];
    if (read.status !== 'read') return;
    if (read.etag) etags[url] = read.etag;
    if (read.value.length > maxBytes) {
      problems.push(tooBig(name, read.value.length, maxBytes));
      return;
    }
    descriptors[kind] = { path: name, text: read.value.toString('utf8') };
  });
  if (
    catalogInfo &&
    !descriptors.catalog &&
    !problems.some(p => p.file === DESCRIPTOR_FILES.catalog)
  ) {
    problems.push(
      fileProblem(
        DESCRIPTOR_FILES.catalog,
        'missing: every service repository needs a catalog-info.yaml at its root',
      ),
    );
  }

  const manifests: DescriptorSource[] = [];
  if (treeRead.status === 'read') {
    if (treeRead.etag) etags[treeUrl] = treeRead.etag;
    const tree = sortedBy(
      (await treeRead.value.files()).filter(f => /\.ya?ml$/.test(f.path)),
      f => f.path,
    );
    if (tree.length > MAX_MANIFEST_FILES) {
      problems.push(
        fileProblem(
          KUBERNETES_FOLDER,
          `holds ${tree.length} manifest files, more than the limit of ${MAX_MANIFEST_FILES}`,
        ),
      );
    }
    for (const file of tree.slice(0, MAX_MANIFEST_FILES)) {
      const rel = `${KUBERNETES_FOLDER}/${file.path}`;
      const buffer = await file.content();
      if (buffer.length > maxBytes) {
        problems.push(tooBig(rel, buffer.length, maxBytes));
        continue;
      }
      manifests.push({ path: rel, text: buffer.toString('utf8') });
    }
  }
  return { sources: { descriptors, manifests }, problems, etags };
}
