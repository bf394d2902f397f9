import { createHash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import { analyzeDescriptors, DescriptorAnalysis } from './analyze';
import { DescriptorFiles, readFileLocation } from './readers';

/**
 * One component to analyse: the files already read (url locations, read
 * through the UrlReader on the catalog's thread), or the file location to
 * read them from (disk, read wherever the analysis runs).
 */
export type AnalysisInput = {
  component: Entity;
  /** The key of the analysis the catalog kept from last time. */
  cachedKey?: string;
} & ({ files: DescriptorFiles } | { fileTarget: string });

/** The key of the inputs, and their analysis unless it is the cached one. */
export interface AnalysisOutput {
  key: string;
  analysis?: DescriptorAnalysis;
}

/** The descriptors could not be read at all (not: read and found wrong). */
export class DescriptorReadError extends Error {
  name = 'DescriptorReadError';
}

/** Identifies the inputs of an analysis: the entity and every file read. */
export function contentHash(entity: Entity, files: DescriptorFiles): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(entity));
  for (const [kind, source] of Object.entries(files.sources.descriptors)) {
    hash.update(`\0${kind}\0${source.path}\0${source.text}`);
  }
  for (const source of files.sources.manifests ?? []) {
    hash.update(`\0manifest\0${source.path}\0${source.text}`);
  }
  hash.update(JSON.stringify(files.problems));
  return hash.digest('hex');
}

/**
 * Reads (for file locations), hashes and analyses one component; unchanged
 * inputs (the cached key) are not analysed again.
 */
export async function runAnalysis(
  input: AnalysisInput,
): Promise<AnalysisOutput> {
  let files: DescriptorFiles;
  if ('fileTarget' in input) {
    try {
      files = await readFileLocation(input.fileTarget);
    } catch (error) {
      throw new DescriptorReadError(String(error));
    }
  } else {
    files = input.files;
  }
  const key = contentHash(input.component, files);
  if (key === input.cachedKey) return { key };
  return {
    key,
    analysis: analyzeDescriptors(
      input.component,
      files.sources,
      files.problems,
    ),
  };
}
