/**
 * Catalog module: the descriptors beside catalog-info.yaml, validated,
 * summarised as annotations, and the infrastructure in kubernetes/ as
 * Resources.
 *
 * @packageDocumentation
 */

export { GitopsDescriptorsProcessor } from './GitopsDescriptorsProcessor';
export { catalogModuleGitops as default } from './module';
