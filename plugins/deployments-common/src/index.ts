/**
 * Tugboat: `deployment-info.yaml` and a service's `kubernetes/` folder,
 * rendered for a commit and an environment into the Kubernetes objects to
 * apply, with an Argo Rollouts canary.
 *
 * @packageDocumentation
 */

export * from './schema';
export { parseDeploymentInfo, parseManifests } from './parse';
export type { ManifestObject, ParseManifestsResult } from './parse';
export * from './analysisTemplates';
export * from './render';
export { ImageReference } from './image';
export { apiGroup, isConfigConnector, NAMESPACED_KINDS } from './kubernetes';
export type { KubernetesObject, ObjectMeta } from './kubernetes';
export { DNS_LABEL, DNS_SUBDOMAIN, isDnsLabel, LABEL_VALUE } from './names';
