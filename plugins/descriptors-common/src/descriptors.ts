/**
 * The descriptor files the suite reads at the root of a service repository,
 * beside each other.
 *
 * @public
 */
export const DESCRIPTOR_FILES = Object.freeze({
  catalog: 'catalog-info.yaml',
  build: 'build-info.yaml',
  deployment: 'deployment-info.yaml',
  monitoring: 'monitoring-info.yaml',
} as const);

/** @public */
export type DescriptorKind = keyof typeof DESCRIPTOR_FILES;

/**
 * The folder of Kubernetes manifests that `deployment-info.yaml` deploys.
 *
 * @public
 */
export const KUBERNETES_FOLDER = 'kubernetes';

/**
 * How many YAML documents each descriptor may hold: `catalog-info.yaml` may
 * list several entities, the others describe one thing each.
 *
 * @public
 */
export const DESCRIPTOR_MAX_DOCUMENTS: Readonly<
  Record<DescriptorKind, number>
> = Object.freeze({ catalog: 50, build: 1, deployment: 1, monitoring: 1 });
