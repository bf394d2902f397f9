import { GeneratedFile, sortFiles, toYaml } from '@gitops/descriptors-common';
import { renderArgoWorkflows } from './argoWorkflows';
import { renderGithubActions } from './githubActions';
import { Pipeline } from './model';

/**
 * The formats a pipeline is written in: the expanded pipeline itself
 * (Tingle's format), GitHub Actions workflows or Argo Workflows.
 *
 * @public
 */
export const PIPELINE_FORMATS = Object.freeze([
  'tingle',
  'github-actions',
  'argo-workflows',
] as const);

/** @public */
export type PipelineFormat = (typeof PIPELINE_FORMATS)[number];

/**
 * Path of the expanded pipeline in the `tingle` format.
 *
 * @public
 */
export const PIPELINE_FILE = 'pipeline.yaml';

/** Says where a file comes from, since it is overwritten when regenerated. */
const HEADER =
  '# Generated from build-info.yaml by @gitops/plugin-pipelines-common; do not edit.\n';

/**
 * Options of {@link pipelineFiles}.
 *
 * @public
 */
export interface PipelineFilesOptions {
  /** The component's catalog name: in workflow names, env and labels. */
  readonly component: string;
  /**
   * Namespace of Argo Workflows.
   * @defaultValue the component's name as a DNS label
   */
  readonly namespace?: string;
}

/**
 * The files of a pipeline in a format, serialised once for every caller
 * (the CLI, the scaffolder action, the backends), sorted by path:
 *
 * - `tingle`: `pipeline.yaml`, the expanded pipeline;
 * - `github-actions`: `.github/workflows/<pipeline id>.yaml`, one per
 *   pipeline;
 * - `argo-workflows`: `argo/<pipeline id>.yaml`, one `Workflow` per
 *   pipeline.
 *
 * A pipeline's id is its name as a DNS label (`Review build` →
 * `review-build`). Each file is YAML (`toYaml`) under a one-line comment
 * saying it is generated.
 *
 * @public
 */
export function pipelineFiles(
  pipeline: Pipeline,
  format: PipelineFormat,
  options: PipelineFilesOptions,
): GeneratedFile[] {
  const file = (path: string, data: unknown): GeneratedFile => ({
    path,
    content: HEADER + toYaml(data),
  });
  switch (format) {
    case 'tingle':
      return [file(PIPELINE_FILE, pipeline)];
    case 'github-actions':
      return sortFiles(
        renderGithubActions(pipeline, options.component).map(w =>
          file(w.path, w.workflow),
        ),
      );
    case 'argo-workflows':
      return sortFiles(
        renderArgoWorkflows(pipeline, options.component, {
          namespace: options.namespace,
        }).map(w => file(w.path, w.workflow)),
      );
    default:
      throw new TypeError(
        `unknown pipeline format ${JSON.stringify(
          format satisfies never,
        )}; formats are: ${PIPELINE_FORMATS.join(', ')}`,
      );
  }
}
