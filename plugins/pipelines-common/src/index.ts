/**
 * Tingle for Backstage: build-info.yaml and its expansion into pipelines,
 * GitHub Actions workflows and Argo Workflows.
 *
 * @packageDocumentation
 */

export * from './model';
export * from './templates';
export * from './buildInfo';
export * from './expand';
export * from './renderers';
