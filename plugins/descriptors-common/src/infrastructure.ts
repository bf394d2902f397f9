import { sortedBy, sortedStrings } from './order';
import {
  CatalogContext,
  ContextResource,
  entityName,
  minimalCatalogContext,
  tierFromAnnotations,
} from './catalogContext';

/**
 * Infrastructure objects found in a repository's kubernetes/ folder that
 * become catalog `Resource`s (Config Connector kinds), with their Backstage
 * resource type. Workloads (Deployment, Service, ...) are not resources.
 *
 * @public
 */
export const INFRASTRUCTURE_KINDS: Readonly<Record<string, string>> =
  Object.freeze({
    'sql.cnrm.cloud.google.com/SQLInstance': 'database',
    'sql.cnrm.cloud.google.com/SQLDatabase': 'database',
    'redis.cnrm.cloud.google.com/RedisInstance': 'cache',
    'storage.cnrm.cloud.google.com/StorageBucket': 'storage-bucket',
    'pubsub.cnrm.cloud.google.com/PubSubTopic': 'topic',
    'iam.cnrm.cloud.google.com/IAMPartialPolicy': 'iam-policy',
    'iam.cnrm.cloud.google.com/IAMPolicyMember': 'iam-policy',
  });

/** A Kubernetes object as plain data (only the fields read here). @public */
export interface KubernetesObjectLike {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown } | unknown;
  spec?: unknown;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * The infrastructure resource an object declares, or undefined for
 * workloads and anything unknown.
 *
 * @public
 */
export function infrastructureResource(
  object: KubernetesObjectLike,
): ContextResource | undefined {
  const group = String(object.apiVersion ?? '').split('/')[0];
  const kind = str(object.kind);
  const type = kind ? INFRASTRUCTURE_KINDS[`${group}/${kind}`] : undefined;
  const name = str(asRecord(object.metadata).name);
  if (!type || !name || !kind) return undefined;
  const spec = asRecord(object.spec);
  return {
    name,
    type,
    sourceKind: kind,
    ...(str(spec.databaseVersion) ? { engine: str(spec.databaseVersion) } : {}),
    ...(str(spec.region) ? { region: str(spec.region) } : {}),
  };
}

/**
 * Builds the catalog context offline from a repository's own files: the
 * first `Component` of catalog-info.yaml, and the infrastructure objects of
 * kubernetes/ (which the component depends on whether or not catalog-info
 * says so, as the catalog module also records).
 *
 * @public
 */
export function catalogContextFromRepository(options: {
  /** The documents of catalog-info.yaml. */
  catalogEntities: ReadonlyArray<unknown>;
  /** Every document of every file in kubernetes/. */
  manifests: ReadonlyArray<unknown>;
  /** Name to use when catalog-info.yaml declares no Component. */
  fallbackName: string;
}): CatalogContext {
  const component = options.catalogEntities
    .map(asRecord)
    .find(e => e.kind === 'Component');
  const metadata = asRecord(component?.metadata);
  const spec = asRecord(component?.spec);
  const base = minimalCatalogContext(
    str(metadata.name) ?? options.fallbackName,
  );

  const found = new Map<string, ContextResource>();
  for (const object of options.manifests) {
    const resource = infrastructureResource(asRecord(object));
    if (resource && !found.has(resource.name))
      found.set(resource.name, resource);
  }
  const declared = (Array.isArray(spec.dependsOn) ? spec.dependsOn : [])
    .map(String)
    .filter(ref => /^resource:/i.test(ref))
    .map(entityName);
  for (const name of declared) {
    if (!found.has(name)) found.set(name, { name, type: 'resource' });
  }

  const consumers = Array.isArray(spec.apiConsumedBy) ? spec.apiConsumedBy : [];
  return {
    component: {
      ...base.component,
      namespace: str(metadata.namespace) ?? 'default',
      owner: str(spec.owner)
        ? entityName(String(spec.owner))
        : base.component.owner,
      ...(str(spec.system) ? { system: entityName(String(spec.system)) } : {}),
      ...(str(spec.lifecycle) ? { lifecycle: str(spec.lifecycle) } : {}),
      ...(str(spec.type) ? { type: str(spec.type) } : {}),
      tier: tierFromAnnotations(asRecord(metadata.annotations)),
    },
    dependsOn: sortedBy(found.values(), r => r.name),
    apiConsumers: sortedStrings(consumers.map(String)),
  };
}
