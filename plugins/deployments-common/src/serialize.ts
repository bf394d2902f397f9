import { GeneratedFile, toYamlStream } from '@gitops/descriptors-common';
import type { KubernetesObject } from './kubernetes';

/**
 * The name of the one file {@link deploymentFiles} returns.
 *
 * @public
 */
export const DEPLOYMENT_OBJECTS_FILE = 'objects.yaml';

/**
 * The rendered objects as the files every caller writes or prints (the CLI,
 * the scaffolder action, the backends): one multi-document YAML file,
 * `objects.yaml`, holding the objects in the order
 * {@link renderDeployment} returns them, which is the order to apply them
 * in. One stream rather than a file per object, so `kubectl apply -f` of
 * the file (or of the CLI's output) never meets an object before its
 * namespace.
 *
 * @public
 */
export function deploymentFiles(
  objects: ReadonlyArray<KubernetesObject>,
): GeneratedFile[] {
  return [{ path: DEPLOYMENT_OBJECTS_FILE, content: toYamlStream(objects) }];
}
