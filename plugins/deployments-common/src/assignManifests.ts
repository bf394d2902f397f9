import { describeValue, DescriptorProblem } from '@gitops/descriptors-common';
import { ManifestObject, manifestProblem } from './parse';
import { DeploymentInfo } from './schema';

/**
 * Which component each manifest belongs to: its `metadata.namespace`, which
 * must be a componentId, or the only component when it has none. A manifest
 * that belongs to no component is a problem and is left out.
 */
export function assignManifests(
  info: DeploymentInfo,
  manifests: ReadonlyArray<ManifestObject>,
): {
  byComponent: Map<string, ManifestObject[]>;
  problems: DescriptorProblem[];
} {
  const problems: DescriptorProblem[] = [];
  const ids = info.components.map(c => c.componentId);
  const byComponent = new Map<string, ManifestObject[]>(
    ids.map(id => [id, []]),
  );
  for (const manifest of manifests) {
    const namespace = manifest.object.metadata.namespace;
    if (namespace === undefined && ids.length > 1) {
      problems.push(
        manifestProblem(
          manifest,
          ['metadata'],
          `metadata.namespace is required when deployment-info.yaml declares several components (${ids.join(
            ', ',
          )}): it says which component the object belongs to`,
        ),
      );
    } else if (namespace !== undefined && !byComponent.has(namespace)) {
      problems.push(
        manifestProblem(
          manifest,
          ['metadata', 'namespace'],
          `metadata.namespace ${describeValue(
            namespace,
          )} is not the namespace of a component: each component is deployed to the namespace named after its componentId (${ids.join(
            ', ',
          )})`,
        ),
      );
    } else {
      byComponent.get(namespace ?? ids[0])!.push(manifest);
    }
  }
  return { byComponent, problems };
}
