import fs from 'node:fs/promises';
import path from 'node:path';
import { filesToText, GeneratedFile } from '@gitops/descriptors-common';
import { Output } from './output';

/**
 * Emits an engine's files exactly as the engine serialised them: written
 * under `outDir` (each path printed), or printed as one text when no
 * folder is given. The scaffolder actions write the same files, so the CLI
 * and an action produce byte-identical output.
 */
export async function emitFiles(
  files: ReadonlyArray<GeneratedFile>,
  outDir: string | undefined,
  out: Output,
): Promise<void> {
  if (outDir === undefined) {
    out.stdout(filesToText(files));
    return;
  }
  for (const file of files) {
    const target = path.join(outDir, ...file.path.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, 'utf8');
    out.stdout(`${target}\n`);
  }
}
