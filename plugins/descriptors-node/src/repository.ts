import fs from 'node:fs/promises';
import path from 'node:path';
import {
  compareStrings,
  DEFAULT_YAML_LIMITS,
  DESCRIPTOR_FILES,
  DescriptorKind,
  DescriptorProblem,
  fileProblem,
  KUBERNETES_FOLDER,
  sortedBy,
} from '@gitops/descriptors-common';

/** A file of a service repository, read from disk or handed over as text. @public */
export interface RepositoryFile {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** What was found at the root of a service repository. @public */
export interface RepositoryFiles {
  readonly root: string;
  readonly descriptors: Partial<Record<DescriptorKind, RepositoryFile>>;
  readonly manifests: RepositoryFile[];
  /** Problems met while reading (not parsing): missing, too big, unsafe. */
  readonly problems: DescriptorProblem[];
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml']);
/** Upper bound on the number of files taken from kubernetes/. @public */
export const MAX_MANIFEST_FILES = 500;

// The messages of the limits, the same whether the files come from disk or
// from a caller's list.
const missingCatalogInfo = () =>
  fileProblem(
    DESCRIPTOR_FILES.catalog,
    'missing: every service repository needs a catalog-info.yaml at its root',
  );
const tooBig = (file: string, size: number, maxBytes: number) =>
  fileProblem(
    file,
    `file is ${size} bytes, more than the limit of ${maxBytes} bytes`,
  );
const tooManyManifests = (count: number) =>
  fileProblem(
    KUBERNETES_FOLDER,
    `holds ${count} manifest files, more than the limit of ${MAX_MANIFEST_FILES}`,
  );

/** Options of {@link readRepository}. @public */
export interface ReadRepositoryOptions {
  /** Largest file read; bigger ones are reported. */
  maxBytes?: number;
  /**
   * Whether catalog-info.yaml is read (and required). The catalog module
   * leaves it out: the catalog has read the component's own file already,
   * whatever its name.
   */
  catalogInfo?: boolean;
}

/**
 * Reads the descriptor files and the kubernetes/ folder of a repository on
 * disk. Never follows a symlink and never reads a file bigger than the parse
 * limit: both are reported as problems instead.
 *
 * @public
 */
export async function readRepository(
  root: string,
  options: ReadRepositoryOptions = {},
): Promise<RepositoryFiles> {
  const { maxBytes = DEFAULT_YAML_LIMITS.maxBytes, catalogInfo = true } =
    options;
  const problems: DescriptorProblem[] = [];
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new Error(`${root} is not a directory`);
  }
  const report = (file: string, message: string) =>
    problems.push(fileProblem(file, message));

  const readSafely = async (
    rel: string,
  ): Promise<RepositoryFile | undefined> => {
    const abs = path.join(root, rel);
    const info = await fs.lstat(abs).catch(() => undefined);
    if (!info) return undefined;
    if (info.isSymbolicLink()) {
      report(
        rel,
        'is a symbolic link; descriptors must be regular files in the repository',
      );
      return undefined;
    }
    if (!info.isFile()) {
      report(rel, 'is not a regular file');
      return undefined;
    }
    if (info.size > maxBytes) {
      problems.push(tooBig(rel, info.size, maxBytes));
      return undefined;
    }
    return { path: rel, text: await fs.readFile(abs, 'utf8') };
  };

  const descriptors: Partial<Record<DescriptorKind, RepositoryFile>> = {};
  for (const [kind, name] of Object.entries(DESCRIPTOR_FILES) as [
    DescriptorKind,
    string,
  ][]) {
    if (kind === 'catalog' && !catalogInfo) continue;
    const file = await readSafely(name);
    if (file) descriptors[kind] = file;
  }
  if (
    catalogInfo &&
    !descriptors.catalog &&
    !problems.some(p => p.file === DESCRIPTOR_FILES.catalog)
  ) {
    problems.push(missingCatalogInfo());
  }

  const manifests: RepositoryFile[] = [];
  const folder = await fs
    .lstat(path.join(root, KUBERNETES_FOLDER))
    .catch(() => undefined);
  if (folder?.isSymbolicLink()) {
    report(
      KUBERNETES_FOLDER,
      'is a symbolic link; the manifests folder must be part of the repository',
    );
  } else if (folder?.isDirectory()) {
    const entries = (await fs.readdir(path.join(root, KUBERNETES_FOLDER)))
      .filter(name => MANIFEST_EXTENSIONS.has(path.extname(name)))
      .sort(compareStrings);
    if (entries.length > MAX_MANIFEST_FILES) {
      problems.push(tooManyManifests(entries.length));
    }
    for (const name of entries.slice(0, MAX_MANIFEST_FILES)) {
      const file = await readSafely(`${KUBERNETES_FOLDER}/${name}`);
      if (file) manifests.push(file);
    }
  }
  return { root, descriptors, manifests, problems };
}

/**
 * Sorts a caller's list of files (e.g. an action's input) into what a
 * repository on disk would give {@link readRepository}: the descriptors at
 * the root and the manifests directly in kubernetes/, under the same limits
 * and with the same messages. A file that is neither, or that is given
 * twice, is reported rather than silently left out, since the caller chose
 * to send it.
 *
 * @public
 */
export function repositoryFilesFromList(
  files: ReadonlyArray<RepositoryFile>,
  options: ReadRepositoryOptions & {
    /** What `root` says where the files came from; `.` by default. */
    root?: string;
  } = {},
): RepositoryFiles {
  const {
    maxBytes = DEFAULT_YAML_LIMITS.maxBytes,
    catalogInfo = true,
    root = '.',
  } = options;
  const problems: DescriptorProblem[] = [];
  const kindOf = new Map(
    Object.entries(DESCRIPTOR_FILES).map(([kind, name]) => [
      name as string,
      kind as DescriptorKind,
    ]),
  );
  const descriptors: Partial<Record<DescriptorKind, RepositoryFile>> = {};
  const manifests: RepositoryFile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) {
      problems.push(fileProblem(file.path, 'is given more than once'));
      continue;
    }
    seen.add(file.path);
    const kind = kindOf.get(file.path);
    const inFolder = file.path.startsWith(`${KUBERNETES_FOLDER}/`)
      ? file.path.slice(KUBERNETES_FOLDER.length + 1)
      : undefined;
    const isManifest =
      inFolder !== undefined &&
      !inFolder.includes('/') &&
      MANIFEST_EXTENSIONS.has(path.posix.extname(inFolder));
    if (!kind && !isManifest) {
      problems.push(
        fileProblem(
          file.path,
          `is neither a descriptor at the repository root (${Object.values(
            DESCRIPTOR_FILES,
          ).join(
            ', ',
          )}) nor a manifest directly in ${KUBERNETES_FOLDER}/ (.yaml or .yml)`,
        ),
      );
      continue;
    }
    if (kind === 'catalog' && !catalogInfo) continue;
    const size = Buffer.byteLength(file.text, 'utf8');
    if (size > maxBytes) {
      problems.push(tooBig(file.path, size, maxBytes));
      continue;
    }
    if (kind) descriptors[kind] = file;
    else manifests.push(file);
  }
  if (
    catalogInfo &&
    !descriptors.catalog &&
    !problems.some(p => p.file === DESCRIPTOR_FILES.catalog)
  ) {
    problems.push(missingCatalogInfo());
  }
  if (manifests.length > MAX_MANIFEST_FILES) {
    problems.push(tooManyManifests(manifests.length));
  }
  return {
    root,
    descriptors,
    manifests: sortedBy(manifests, m => m.path).slice(0, MAX_MANIFEST_FILES),
    problems,
  };
}
