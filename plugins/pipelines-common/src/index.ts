/**
 * Tingle for Backstage: build-info.yaml and its expansion into pipelines,
 * GitHub Actions workflows and Argo Workflows.
 *
 * @packageDocumentation
 */

export * from './model';
export * from './templates';
export {
  addStageSchema,
  addStepSchema,
  buildInfoSchema,
  parseBuildInfo,
} from './buildInfo';
export type { BuildInfo, StageExtension, StepExtension } from './buildInfo';
export { expandBuildInfo } from './expand';
export type { RenderedWorkflow } from './rendering';
export { renderGithubActions } from './githubActions';
export { renderArgoWorkflows } from './argoWorkflows';
export type { ArgoWorkflowsOptions } from './argoWorkflows';
export { PIPELINE_FILE, PIPELINE_FORMATS, pipelineFiles } from './files';
export type { PipelineFilesOptions, PipelineFormat } from './files';
export * from './runs';
