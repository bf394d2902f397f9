import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { DescriptorProblem, formatProblem } from '@gitops/descriptors-common';
import { loadRepository, LoadedRepository } from '@gitops/descriptors-node';
import type { z as zv3 } from 'zod/v3';

/** Input shared by every gitops action: where the repository is. */
export const repositoryPathInput = {
  // The scaffolder hands actions the zod v3 API.
  path: (z: typeof zv3) =>
    z
      .string()
      .default('.')
      .describe(
        'Folder of the service repository inside the workspace (where catalog-info.yaml is)',
      ),
};

/** Reads the repository at `relative` inside the workspace, never outside it. */
export async function loadWorkspaceRepository(
  workspacePath: string,
  relative: string,
): Promise<{ dir: string; repo: LoadedRepository }> {
  const dir = resolveSafeChildPath(workspacePath, relative);
  const repo = await loadRepository(dir).catch(error => {
    throw new InputError(
      `Cannot read the repository at "${relative}": ${error.message}`,
    );
  });
  return { dir, repo };
}

/** Fails the step with every problem, one per line, as file:line:column. */
export function throwProblems(
  relative: string,
  problems: ReadonlyArray<DescriptorProblem>,
): never {
  const lines = problems.map(p =>
    formatProblem({ ...p, file: path.posix.join(relative, p.file) }),
  );
  throw new InputError(
    `${problems.length} problem(s) in ${relative}:\n${lines.join('\n')}`,
  );
}

/**
 * Writes generated files under `target` inside the workspace. Every path is
 * checked to stay inside the workspace before anything is written.
 */
export async function writeWorkspaceFiles(
  workspacePath: string,
  target: string,
  files: ReadonlyArray<{ path: string; content: string }>,
): Promise<string[]> {
  const resolved = files.map(f => ({
    abs: resolveSafeChildPath(workspacePath, path.posix.join(target, f.path)),
    content: f.content,
  }));
  for (const f of resolved) {
    await fs.mkdir(path.dirname(f.abs), { recursive: true });
    await fs.writeFile(f.abs, f.content, 'utf8');
  }
  return resolved.map(f => path.relative(workspacePath, f.abs)).sort();
}
