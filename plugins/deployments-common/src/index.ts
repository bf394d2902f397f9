/**
 * Tugboat: `deployment-info.yaml` and a service's `kubernetes/` folder,
 * rendered for a commit and an environment into the Kubernetes objects to
 * apply, with an Argo Rollouts canary.
 *
 * @packageDocumentation
 */

export * from './schema';
export { parseDeploymentInfo, parseManifests } from './parse';
export type { ManifestObject } from './parse';
export * from './analysisTemplates';
export { renderDeployment } from './render';
export { RENDER_INPUT } from './renderInput';
export type { RenderDeploymentInput } from './renderInput';
export { TUGBOAT_METADATA } from './decorate';
export { deploymentFiles, DEPLOYMENT_OBJECTS_FILE } from './serialize';
export { ImageReference } from './image';
export {
  apiGroup,
  isConfigConnector,
  NAMESPACED_KINDS,
  objectRef,
} from './kubernetes';
export type { KubernetesObject, ObjectMeta } from './kubernetes';
