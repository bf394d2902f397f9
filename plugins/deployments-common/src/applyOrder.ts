import { compareStrings } from '@gitops/descriptors-common';
import { isConfigConnector, KubernetesObject } from './kubernetes';

/**
 * The order objects are applied in: the namespace, then infrastructure the
 * workloads need, then configuration, Services, analysis templates, the
 * workloads, and whatever refers to them.
 */
export function applyRank(object: KubernetesObject): number {
  if (object.kind === 'Namespace') return 0;
  if (isConfigConnector(object)) return 1;
  switch (object.kind) {
    case 'ServiceAccount':
    case 'ConfigMap':
    case 'Secret':
    case 'PersistentVolumeClaim':
    case 'Role':
    case 'RoleBinding':
      return 2;
    case 'Service':
      return 3;
    case 'AnalysisTemplate':
      return 4;
    case 'Deployment':
    case 'Rollout':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'CronJob':
    case 'Pod':
      return 5;
    default:
      return 6;
  }
}

/**
 * Apply order, then kind, namespace and name: the order renderDeployment
 * returns objects in, so that `kubectl apply` of the stream never meets an
 * object before its namespace.
 */
export function compareObjects(
  a: KubernetesObject,
  b: KubernetesObject,
): number {
  return (
    applyRank(a) - applyRank(b) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareStrings(a.metadata.name, b.metadata.name)
  );
}
