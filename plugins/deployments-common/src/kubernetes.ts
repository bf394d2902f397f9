import { sortedStrings } from '@gitops/descriptors-common';

/**
 * What Tugboat knows about Kubernetes kinds: which a service repository may
 * hold and where their pod templates are.
 */

/** Object metadata, as far as Tugboat reads and writes it. @public */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** A Kubernetes object as plain data. @public */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [key: string]: unknown;
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → the empty string (core). @public */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether an object is a Config Connector resource (`*.cnrm.cloud.google.com`). @public */
export function isConfigConnector(object: { apiVersion: string }): boolean {
  return apiGroup(object.apiVersion).endsWith('.cnrm.cloud.google.com');
}

/**
 * The namespaced kinds a service repository may hold, by API group. Any kind
 * of a Config Connector group is allowed too (they are namespaced), except
 * `core.cnrm.cloud.google.com`, which configures Config Connector itself.
 * Everything else is refused: Tugboat cannot tell whether an unknown kind is
 * cluster-scoped, and a service repository must not change cluster-scoped
 * state.
 *
 * @public
 */
export const NAMESPACED_KINDS: Readonly<Record<string, ReadonlyArray<string>>> =
  Object.freeze({
    '': [
      'ConfigMap',
      'PersistentVolumeClaim',
      'Pod',
      'Secret',
      'Service',
      'ServiceAccount',
    ],
    apps: ['DaemonSet', 'Deployment', 'StatefulSet'],
    'argoproj.io': ['AnalysisTemplate', 'Rollout'],
    autoscaling: ['HorizontalPodAutoscaler'],
    batch: ['CronJob', 'Job'],
    'gateway.networking.k8s.io': ['GRPCRoute', 'HTTPRoute'],
    'monitoring.coreos.com': ['PodMonitor', 'PrometheusRule', 'ServiceMonitor'],
    'networking.k8s.io': ['Ingress', 'NetworkPolicy'],
    policy: ['PodDisruptionBudget'],
    'rbac.authorization.k8s.io': ['Role', 'RoleBinding'],
  });

/**
 * Kinds known to be cluster-scoped, refused with a message saying so (the
 * rest of the refused kinds get a generic one).
 */
const CLUSTER_SCOPED_KINDS = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterAnalysisTemplate',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'ConfigConnector',
  'CustomResourceDefinition',
  'GatewayClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

/**
 * Why an object of this kind may not be in a service repository, or
 * undefined when it may.
 */
export function refusedKind(
  apiVersion: string,
  kind: string,
): string | undefined {
  const group = apiGroup(apiVersion);
  if (kind === 'List' || kind.endsWith('List')) {
    return `kind ${kind} is not supported: write each object as its own YAML document, separated by ---`;
  }
  if (CLUSTER_SCOPED_KINDS.has(kind) || kind.startsWith('Cluster')) {
    return `kind ${kind} is cluster-scoped: a service repository must not change cluster-scoped state${
      kind === 'Namespace'
        ? ' (Tugboat creates the namespace of each component itself)'
        : ''
    }`;
  }
  if (
    group.endsWith('.cnrm.cloud.google.com') &&
    group !== 'core.cnrm.cloud.google.com'
  ) {
    return undefined;
  }
  if (NAMESPACED_KINDS[group]?.includes(kind)) return undefined;
  return `kind ${kind} of ${apiVersion} is not one Tugboat deploys: a service repository may hold only the namespaced kinds listed in the deployments-common README and Config Connector resources`;
}

/** Where the pod spec of a workload is, for the kinds that have one. */
export function podSpecPath(kind: string): ReadonlyArray<string> | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'Rollout':
      return ['spec', 'template', 'spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

/** The container lists of a pod spec that carry images. */
export const CONTAINER_LISTS = Object.freeze([
  'initContainers',
  'containers',
  'ephemeralContainers',
] as const);

/** Plain-object check that also rejects arrays and null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy with map keys sorted, so equal input serializes identically. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    sortedStrings(Object.keys(value)).map(key => [key, sortKeys(value[key])]),
  ) as T;
}

/**
 * How an object is named in messages and action outputs:
 * `Kind/namespace/name`, or `Kind/name` when it is cluster-scoped.
 *
 * @public
 */
export function objectRef(object: KubernetesObject): string {
  const { namespace, name } = object.metadata;
  return namespace
    ? `${object.kind}/${namespace}/${name}`
    : `${object.kind}/${name}`;
}
