import fs from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_YAML_LIMITS,
  DESCRIPTOR_FILES,
  DescriptorKind,
  DescriptorProblem,
  KUBERNETES_FOLDER,
} from '@gitops/descriptors-common';

/** A file read from a service repository on disk. @public */
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
/** Upper bound on the number of files taken from kubernetes/. */
const MAX_MANIFEST_FILES = 500;

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
    problems.push({ file, line: 1, column: 1, path: '', message });

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
      report(
        rel,
        `file is ${info.size} bytes, more than the limit of ${maxBytes} bytes`,
      );
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
    report(
      DESCRIPTOR_FILES.catalog,
      'missing: every service repository needs a catalog-info.yaml at its root',
    );
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
      .sort();
    if (entries.length > MAX_MANIFEST_FILES) {
      report(
        KUBERNETES_FOLDER,
        `holds ${entries.length} manifest files, more than the limit of ${MAX_MANIFEST_FILES}`,
      );
    }
    for (const name of entries.slice(0, MAX_MANIFEST_FILES)) {
      const file = await readSafely(`${KUBERNETES_FOLDER}/${name}`);
      if (file) manifests.push(file);
    }
  }
  return { root, descriptors, manifests, problems };
}
