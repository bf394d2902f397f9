import {
  catalogContextFromEntities,
  CatalogContext,
  EntityLike,
} from '@gitops/descriptors-common';

/** Where the catalog context comes from. */
export interface ContextOptions {
  /** Base URL of a running Backstage, e.g. http://localhost:7007. */
  catalogUrl?: string;
  /** Bearer token for it; defaults to $BACKSTAGE_TOKEN. */
  token?: string;
}

/**
 * Reads the catalog context of the component the repository declares from a
 * running Backstage's catalog REST API: the component, the resources it
 * depends on and the consumers of its APIs.
 */
export async function resolveContext(
  offline: CatalogContext,
  options: ContextOptions,
  fetchImpl: typeof fetch = fetch,
): Promise<CatalogContext> {
  if (!options.catalogUrl) return offline;

  const base = options.catalogUrl.replace(/\/+$/, '');
  const token = options.token ?? process.env.BACKSTAGE_TOKEN;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  };
  const { namespace, name } = offline.component;
  const res = await fetchImpl(
    `${base}/api/catalog/entities/by-name/component/${encodeURIComponent(
      namespace,
    )}/${encodeURIComponent(name)}`,
    { headers },
  );
  if (!res.ok) {
    throw new Error(
      `catalog at ${base} answered ${res.status} for component:${namespace}/${name}`,
    );
  }
  const component = (await res.json()) as EntityLike;
  const refs = (component.relations ?? [])
    .filter(r => r.type === 'dependsOn' || r.type === 'providesApi')
    .map(r => r.targetRef);
  let related: EntityLike[] = [];
  if (refs.length > 0) {
    const byRefs = await fetchImpl(`${base}/api/catalog/entities/by-refs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ entityRefs: refs }),
    });
    if (!byRefs.ok) {
      throw new Error(
        `catalog at ${base} answered ${byRefs.status} for related entities`,
      );
    }
    const body = (await byRefs.json()) as { items: (EntityLike | null)[] };
    related = body.items.filter((e): e is EntityLike => !!e);
  }
  return catalogContextFromEntities(component, related);
}
