import { DEFAULT_YAML_LIMITS } from '@gitops/descriptors-common';
import { ActionZod, MAX_MANIFEST_FILES } from '@gitops/descriptors-node';

// Fields only the registry actions have: the scaffolder actions read the
// repository from the template's workspace and write files into it, these
// take the files as text and answer with files. The options shared with
// the scaffolder actions are in @gitops/descriptors-node (actionSchemas.ts).

/** The repository's files, as the caller sends them. */
export const filesInput = (z: ActionZod) =>
  z
    .array(
      z.object({
        path: z
          .string()
          .describe(
            'Path relative to the repository root, with forward slashes: catalog-info.yaml, build-info.yaml, deployment-info.yaml, monitoring-info.yaml, or kubernetes/<name>.yaml',
          ),
        content: z.string().describe('The text of the file'),
      }),
    )
    .describe(
      `The service repository's descriptor files at its root and the manifests directly in its kubernetes/ folder, as text. Each file may hold at most ${DEFAULT_YAML_LIMITS.maxBytes} bytes and kubernetes/ at most ${MAX_MANIFEST_FILES} files; any other path is reported as a problem.`,
    );

/** The component whose catalog context the generators use. */
export const entityRefInput = (z: ActionZod) =>
  z
    .string()
    .optional()
    .describe(
      "The component in the software catalog, e.g. component:default/example-app; its owner, system, tier, dependencies and API consumers are read from the catalog with the caller's permissions, and catalog-info.yaml is then not needed. Without it they come from the files' own catalog-info.yaml.",
    );

/** A problem with the position it was found at. */
export const problemOutput = (z: ActionZod) =>
  z.object({
    file: z.string().describe('The file, relative to the repository root'),
    line: z.number().describe('1-based line'),
    column: z.number().describe('1-based column'),
    path: z
      .string()
      .describe('Data path inside the document, empty for the document'),
    message: z.string().describe('What is wrong'),
  });

/** A generated file. */
export const fileOutput = (z: ActionZod) =>
  z.object({
    path: z.string().describe('Path relative to the output folder'),
    content: z.string().describe('The text of the file'),
  });

/**
 * What every generator answers: the files, or the problems that stopped
 * it. Problems are a result, not an error, so that the caller receives each
 * one with its position as data and can fix the files and call again.
 */
export const generatorOutputFields = (z: ActionZod) => ({
  ok: z
    .boolean()
    .describe(
      'Whether the files were generated; false when problems stopped it',
    ),
  files: z
    .array(fileOutput(z))
    .describe('The generated files, sorted by path; empty when not ok'),
  problems: z
    .array(problemOutput(z))
    .describe(
      'Every problem that stopped the generator, each with file, line and column; empty when ok',
    ),
});
