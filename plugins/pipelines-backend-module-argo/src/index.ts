/**
 * Pipelines module: runs pipelines on Argo Workflows in a Kubernetes
 * cluster (`pipelines.executor: argo`).
 *
 * @packageDocumentation
 */

export { ArgoWorkflowsExecutor } from './ArgoWorkflowsExecutor';
export type { ArgoWorkflowsExecutorOptions } from './ArgoWorkflowsExecutor';
export type { ArgoClusterOptions } from './cluster';
export { readArgoExecutorConfig } from './config';
export type { ArgoExecutorConfig } from './config';
export { pipelinesModuleArgo as default } from './module';
