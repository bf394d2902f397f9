import fs from 'node:fs/promises';
import path from 'node:path';

const OBJECT_NAME = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Every ref under `refs/` of a repository kept in git's files format, read
 * from `packed-refs` and the loose ref files without starting git: the
 * refs `git for-each-ref --format='%(objectname) %(refname)'` lists, the
 * loose file winning over its packed line as it does for git.
 *
 * Returns undefined, for the caller to ask git, whenever the answer could
 * be incomplete: a repository in the reftable format, a symbolic ref under
 * `refs/`, a file that is not a ref, or `packed-refs` replaced while the
 * loose refs were read (git packs refs by renaming a new file into place,
 * so an unchanged file means no ref moved between the two).
 */
export async function readRefsFromFiles(
  gitDir: string,
): Promise<Record<string, string> | undefined> {
  try {
    if (await exists(path.join(gitDir, 'reftable'))) return undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const packedFile = path.join(gitDir, 'packed-refs');
      const before = await identity(packedFile);
      const refs = parsePacked(
        before ? await fs.readFile(packedFile, 'utf8') : '',
      );
      if (!refs) return undefined;
      const loose = await readLoose(gitDir, 'refs');
      if (!loose) return undefined;
      if ((await identity(packedFile)) !== before) continue;
      Object.assign(refs, loose);
      return Object.fromEntries(
        Object.entries(refs).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    return undefined;
  } catch {
    return undefined;
  }
}

function parsePacked(text: string): Record<string, string> | undefined {
  const refs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    // The header, and the peeled object of the annotated tag above.
    if (!line || line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    const name = line.slice(space + 1);
    const id = line.slice(0, space);
    if (!OBJECT_NAME.test(id) || !name.startsWith('refs/')) return undefined;
    refs[name] = id;
  }
  return refs;
}

async function readLoose(
  gitDir: string,
  relative: string,
): Promise<Record<string, string> | undefined> {
  const refs: Record<string, string> = {};
  let entries;
  try {
    entries = await fs.readdir(path.join(gitDir, relative), {
      withFileTypes: true,
    });
  } catch (error) {
    // A folder removed by git while we read (an emptied namespace).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return refs;
    throw error;
  }
  for (const entry of entries) {
    const name = `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      const nested = await readLoose(gitDir, name);
      if (!nested) return undefined;
      Object.assign(refs, nested);
      continue;
    }
    // git's lock files of refs being written: the ref is still the old one.
    if (entry.name.endsWith('.lock')) continue;
    if (!entry.isFile()) return undefined;
    let content: string;
    try {
      content = (await fs.readFile(path.join(gitDir, name), 'utf8')).trim();
    } catch (error) {
      // Deleted while we read: it is gone (or now packed: see the caller).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (!OBJECT_NAME.test(content)) return undefined;
    refs[name] = content;
  }
  return refs;
}

async function identity(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}
