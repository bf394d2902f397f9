import type { Entity } from '@backstage/catalog-model';
import { GITOPS_ANNOTATIONS } from '@gitops/descriptors-common';

/** The file that declares a component's build. */
export const BUILD_INFO_FILE = 'build-info.yaml';

/**
 * Whether an entity declares a build: the catalog module lists the
 * descriptor files beside catalog-info.yaml in the `gitops.io/descriptors`
 * annotation, and the CI/CD tab is shown when `build-info.yaml` is one.
 *
 * @public
 */
export function isPipelinesAvailable(entity: Entity): boolean {
  const files =
    entity.metadata.annotations?.[GITOPS_ANNOTATIONS.descriptors] ?? '';
  return files
    .split(',')
    .map(file => file.trim())
    .includes(BUILD_INFO_FILE);
}

/** The pipelines the catalog module found in build-info.yaml, if any. */
export function declaredPipelines(entity: Entity): string[] {
  const value = entity.metadata.annotations?.[GITOPS_ANNOTATIONS.pipelines];
  return (value ?? '')
    .split(',')
    .map(name => name.trim())
    .filter(Boolean);
}
