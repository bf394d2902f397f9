import type { z as zv3 } from 'zod/v3';
import {
  PIPELINE_FORMATS,
  PipelineFormat,
} from '@gitops/plugin-pipelines-common';

/**
 * The zod API Backstage hands to action schemas. The scaffolder's
 * `createTemplateAction` and the actions registry both build schemas with
 * zod's v3 API and pass it in, so the fields below are functions of it
 * rather than schemas built with the package's own zod.
 *
 * @public
 */
export type ActionZod = typeof zv3;

/** What the scaffolder action may write besides nothing. */
const WRITE_AS = [
  'none',
  'github-actions',
  'argo-workflows',
] as const satisfies ReadonlyArray<'none' | PipelineFormat>;

/**
 * The inputs of rendering a deployment, the same in the scaffolder action
 * `gitops:deployment:render` and the registry action
 * `gitops:render-deployment`. They only describe the values: the renderer
 * checks them and answers a bad one with a problem naming it, which reaches
 * both kinds of caller (a schema rule would be a second copy of the check,
 * and the actions registry answers a schema failure without saying which
 * field failed).
 *
 * @public
 */
export const deploymentInputFields = {
  commit: (z: ActionZod) =>
    z
      .string()
      .describe(
        'The commit being deployed, 7 to 40 hexadecimal characters; images are pinned to it',
      ),
  environment: (z: ActionZod) =>
    z
      .string()
      .default('production')
      .describe('The target environment, a DNS label'),
  registry: (z: ActionZod) =>
    z
      .string()
      .optional()
      .describe(
        'Container registry for images that name none, e.g. europe-docker.pkg.dev/my-project/images',
      ),
};

/**
 * The inputs of expanding a pipeline, both from the formats of
 * `pipelineFiles`. The registry action answers with the files of one
 * format; the scaffolder action always outputs the expanded pipeline (the
 * `tingle` file) and may also write GitHub Actions or Argo Workflows files
 * into the workspace.
 *
 * @public
 */
export const pipelineInputFields = {
  /** Registry action: the format of the files returned. */
  format: (z: ActionZod) =>
    z
      .enum(PIPELINE_FORMATS)
      .default('tingle')
      .describe(
        'Format of the files: tingle (pipeline.yaml, the expanded pipeline), github-actions (.github/workflows/*.yaml) or argo-workflows (argo/*.yaml)',
      ),
  /** Scaffolder action: whether and how the pipeline is written. */
  writeAs: (z: ActionZod) =>
    z
      .enum(WRITE_AS)
      .default('none')
      .describe(
        'Also write the pipeline into the repository: GitHub Actions workflows under .github/workflows/, or Argo Workflows under argo/',
      ),
};
